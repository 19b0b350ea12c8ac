{
    "name": "B2B Credit",
    "summary": "Credit limits that block, payment terms, statements of account and collections",
    "version": "18.0.1.0.0",
    "category": "Accounting/Accounting",
    "author": "B2B Dealer Ordering Suite",
    "license": "LGPL-3",
    "depends": [
        "sale_management",
        "account",
    ],
    "data": [
        "security/ir.model.access.csv",
    ],
    "demo": [],
    "installable": True,
}
