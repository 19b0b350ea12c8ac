from . import test_carrier_choice, test_dealer_receipt, test_polling, test_providers, test_shipment, test_webhook
