{
    "name": "B2B Suite Tests",
    "summary": "Cross-module suites of the B2B dealer-ordering suite: browser, security, flows",
    "version": "18.0.1.0.0",
    "category": "Hidden/Tests",
    "author": "B2B Dealer Ordering Suite",
    "license": "LGPL-3",
    "depends": [
        "b2b_reports",
    ],
    "data": [],
    "installable": True,
}
