#!/usr/bin/env bash
# make test-odoo: Odoo's own test suites of the core modules we extend, run with our five
# modules installed, to prove the suite breaks nothing in core. One install run on a throwaway
# database, so every post_install test runs with our modules present. Ends with
# "N passed, N failed" like make test.
#
# account has ~760 tests (over an hour here): we run the classes closest to what the suite
# touches (customer invoices and refunds, journal entries, tax totals, payment terms, payments
# and their registration, early payment discounts, fiscal positions, invoice report, partners,
# portal invoices). Left out to stay under 20 minutes on a busy 2-core machine (they pass too:
# 752 passed, 0 failed in a 31-minute run with them): TestAccountMoveReconcile,
# TestAccountMoveSend, TestTaxesComputation, TestSequenceMixin. ODOO_TEST_TAGS overrides the
# whole spec, e.g. to add them back.
#
# Excluded: account's TestAccountPayment.test_resequence_change_payment_name, a core test that
# fails whenever the clock is past 2025 (it posts a payment dated today and expects a
# resequence to 'PBNK1/2025/00002'), with or without our modules.
# Also excluded: sale's TestSaleOrderCreditLimit.test_credit_limit_and_warning_overinvoiced_sales_order,
# which confirms two orders of 1,000 for a customer whose credit limit is 1,000 and expects both
# to be confirmed (core only warns). b2b_credit blocks by design: the second order goes on credit
# hold, so the core test's expectation is the behaviour this suite replaces. For the same reason
# TestSaleOrderCreditLimit.test_credit_limit_multicurrency is excluded: it confirms an order of 55
# for a customer whose limit is 50 and expects it in credit_to_invoice; b2b_credit holds it.
set -uo pipefail
. "$(dirname "$0")/odoo_env.sh"

account_classes=(
  TestAccountMoveOutInvoiceOnchanges
  TestAccountMoveOutRefundOnchanges
  TestAccountPaymentTerms
  TestAccountPayment
  TestAccountPaymentRegister
  TestAccountMovePaymentsWidget
  TestAccountEarlyPaymentDiscount
  TestInvoiceTaxes
  TestAccountPartner
  TestMergePartner
  TestPortalInvoice
  TestAccountMove
  TestTaxesTaxTotalsSummary
  TestFiscalPosition
  TestAccountInvoiceReport
)
excluded=(
  /account:TestAccountPayment.test_resequence_change_payment_name
  /sale:TestSaleOrderCreditLimit.test_credit_limit_and_warning_overinvoiced_sales_order
  /sale:TestSaleOrderCreditLimit.test_credit_limit_multicurrency
)
core_modules="sale,sale_stock,stock_delivery,portal,account"
default_tags="/sale,/sale_stock,/stock_delivery,/portal"
for klass in "${account_classes[@]}"; do default_tags="$default_tags,/account:$klass"; done
for spec in "${excluded[@]}"; do default_tags="$default_tags,-$spec"; done
tags=${ODOO_TEST_TAGS:-$default_tags}

db=${TEST_DB:-b2b_test_odoo_$(date +%s)_$$}
port=$(free_port)
trap 'drop_db "$db"' EXIT
drop_db "$db"
echo "make test-odoo: database $db, modules $OUR_MODULES + $core_modules, http port $port"
echo "make test-odoo: tags $tags"
start=$(date +%s)
odoo_cmd -d "$db" -i "$OUR_MODULES,$core_modules" --test-enable --test-tags="$tags" --stop-after-init \
  --http-port="$port" --max-cron-threads=0 --workers=0 \
  --log-handler=:WARNING --log-handler=odoo.addons:INFO --log-handler=odoo.tests:INFO \
  --log-handler=odoo.service.server:INFO ${ODOO_ARGS:-}
rc=$?
echo "make test-odoo: finished in $(( $(date +%s) - start ))s (exit $rc)"
exit $rc
