import base64
import hashlib
import hmac
import json
from datetime import datetime

from odoo import Command, fields
from odoo.tests import new_test_user

from ..providers.generic import sign as generic_sign
from ..providers.kuaidi100 import md5_upper

SECRETS = {
    "aftership": "aftership-secret",
    "kuaidi100": "kuaidi100-salt",
    "track17": "track17-security-key",
    "generic": "fleet-secret",
}
# A 1x1 transparent PNG, used as proof-of-delivery signature and discrepancy photo.
PNG_1PX = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg=="


def iso(value):
    return value.strftime("%Y-%m-%dT%H:%M:%S+00:00")


class LogisticsCommon:
    """Shared fixtures: a dealer company with a portal user, products, one carrier per provider
    (API base URL pointing at a stand-in server when the test class provides one) and helpers
    that ship an order and sign webhook payloads."""

    @classmethod
    def _setup_logistics(cls, base_url="http://127.0.0.1:9"):
        env = cls.env
        cls.company = env.company
        # a plain pricelist: whatever pricelists a database holds (demo tiers...), the test
        # dealer's order prices and delivery prices are the catalogue's
        cls.pricelist = env["product.pricelist"].create(
            {"name": "Logistics tests", "currency_id": env.company.currency_id.id}
        )
        cls.dealer = env["res.partner"].create(
            {
                "name": "Dealer One Co.",
                "is_company": True,
                "email": "d1@example.com",
                "property_product_pricelist": cls.pricelist.id,
            }
        )
        cls.dealer_contact = env["res.partner"].create(
            {"name": "Buyer One", "parent_id": cls.dealer.id, "email": "buyer1@example.com"}
        )
        cls.other_dealer = env["res.partner"].create({"name": "Dealer Two Co.", "is_company": True})
        cls.portal_user = new_test_user(
            env, login="b2b_logi_portal", groups="base.group_portal", partner_id=cls.dealer_contact.id
        )
        cls.other_portal_user = new_test_user(
            env,
            login="b2b_logi_portal2",
            groups="base.group_portal",
            partner_id=env["res.partner"].create({"name": "Buyer Two", "parent_id": cls.other_dealer.id}).id,
        )
        cls.salesman = new_test_user(
            env, login="b2b_logi_sales", groups="sales_team.group_sale_salesman,stock.group_stock_user"
        )
        cls.product_a = env["product.product"].create({"name": "Logi Product A", "type": "consu", "weight": 1.0})
        cls.product_b = env["product.product"].create({"name": "Logi Product B", "type": "consu", "weight": 2.0})
        delivery_product = env["product.product"].create({"name": "Shipping", "type": "service"})
        cls.carriers = {}
        for code, secret in SECRETS.items():
            cls.carriers[code] = env["delivery.carrier"].create(
                {
                    "name": f"Carrier {code}",
                    "delivery_type": "fixed",
                    "fixed_price": 10.0,
                    "product_id": delivery_product.id,
                    "b2b_tracking_provider": code,
                    "b2b_provider_base_url": base_url,
                    "b2b_provider_api_key": f"{code}-api-key",
                    "b2b_provider_account": "CUSTOMER1" if code == "kuaidi100" else False,
                    "b2b_provider_carrier_code": {
                        "aftership": "sf-express",
                        "kuaidi100": "shunfeng",
                        "track17": "3011",
                    }.get(code, False),
                    "b2b_webhook_secret": secret,
                    "b2b_rate_limit": 6000,
                }
            )

    @classmethod
    def _create_order(cls, partner=None, products=None, carrier=None):
        order = cls.env["sale.order"].create(
            {
                "partner_id": (partner or cls.dealer_contact).id,
                "carrier_id": carrier.id if carrier else False,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 5})
                    for product in (products or cls.product_a | cls.product_b)
                ],
            }
        )
        return order

    @classmethod
    def _ship_order(cls, carrier, numbers, partner=None):
        """A confirmed order whose outgoing picking is done with ``numbers`` as tracking refs."""
        order = cls._create_order(partner=partner, carrier=carrier)
        order.action_confirm()
        picking = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
        for move in picking.move_ids:
            move.quantity = move.product_uom_qty
        picking.move_ids.picked = True
        picking.with_context(skip_backorder=True, skip_sms=True)._action_done()
        picking.write({"carrier_id": carrier.id, "carrier_tracking_ref": ",".join(numbers)})
        return order, picking

    # --- payloads written from the providers' documented formats ---------------------------------
    @staticmethod
    def aftership_payload(number, checkpoints, tag=None, signed_by=None):
        tracking = {
            "id": "5b7658cec7c33c0e007de3c5",
            "slug": "sf-express",
            "tracking_number": number,
            "tag": tag or (checkpoints[-1]["tag"] if checkpoints else "Pending"),
            "subtag": (checkpoints[-1].get("subtag") if checkpoints else "Pending_001"),
            "updated_at": checkpoints[-1]["checkpoint_time"] if checkpoints else "2025-01-01T00:00:00+00:00",
            "expected_delivery": "2025-03-05T18:00:00+08:00",
            "signed_by": signed_by,
            "checkpoints": checkpoints,
        }
        return json.dumps({"event": "tracking_update", "event_id": "evt", "msg": tracking, "ts": 1710000000}).encode()

    @staticmethod
    def aftership_checkpoint(when, tag, message, subtag=None, city="Shenzhen"):
        return {
            "slug": "sf-express",
            "city": city,
            "created_at": iso(when),
            "location": f"{city}, Guangdong, CN",
            "country_name": "China",
            "message": message,
            "country_iso3": "CHN",
            "tag": tag,
            "subtag": subtag or f"{tag}_001",
            "checkpoint_time": iso(when),
            "coordinates": [],
            "state": "Guangdong",
            "zip": None,
        }

    @staticmethod
    def aftership_signature(body, secret=SECRETS["aftership"]):
        return base64.b64encode(hmac.new(secret.encode(), body, hashlib.sha256).digest()).decode()

    @staticmethod
    def kuaidi100_param(number, state, checkpoints, status="polling"):
        return json.dumps(
            {
                "status": status,
                "billstatus": "got",
                "message": "",
                "autoCheck": "0",
                "comOld": "",
                "comNew": "",
                "lastResult": {
                    "message": "ok",
                    "state": state,
                    "status": "200",
                    "condition": "F00",
                    "ischeck": "1" if state == "3" else "0",
                    "com": "shunfeng",
                    "nu": number,
                    "data": checkpoints,
                },
            },
            ensure_ascii=False,
        )

    @staticmethod
    def kuaidi100_checkpoint(local_time, context, status_text, code=None, area="上海市", center="121.47,31.23"):
        checkpoint = {
            "context": context,
            "time": local_time,
            "ftime": local_time,
            "status": status_text,
            "areaCode": "310000000000",
            "areaName": area,
            "areaCenter": center,
        }
        if code:
            checkpoint["statusCode"] = code
        return checkpoint

    @staticmethod
    def kuaidi100_sign(param, salt=SECRETS["kuaidi100"]):
        return md5_upper(param + salt)

    @staticmethod
    def track17_payload(number, latest_status, events, sub_status=None, event="TRACKING_UPDATED"):
        return json.dumps(
            {
                "event": event,
                "data": {
                    "number": number,
                    "carrier": 3011,
                    "param": None,
                    "tag": None,
                    "track_info": {
                        "shipping_info": {"shipper_address": {}, "recipient_address": {}},
                        "latest_status": {
                            "status": latest_status,
                            "sub_status": sub_status or f"{latest_status}_Other",
                        },
                        "latest_event": events[0] if events else None,
                        "time_metrics": {
                            "days_after_order": 2,
                            "estimated_delivery_date": {
                                "source": "Official",
                                "from": "2025-03-04T00:00:00Z",
                                "to": "2025-03-05T00:00:00Z",
                            },
                        },
                        "tracking": {
                            "providers_hash": 1,
                            "providers": [{"provider": {"key": 3011, "name": "China Post"}, "events": events}],
                        },
                    },
                },
            }
        ).encode()

    @staticmethod
    def track17_event(when, stage, description, sub_status=None, lat=None, lng=None):
        return {
            "time_iso": when.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
            "time_utc": when.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "description": description,
            "location": "Beijing",
            "stage": stage,
            "sub_status": sub_status or f"{stage}_Other",
            "address": {
                "country": "CN",
                "state": None,
                "city": "Beijing",
                "street": None,
                "postal_code": None,
                "coordinates": {"longitude": lng, "latitude": lat},
            },
        }

    @staticmethod
    def track17_sign(body, key=SECRETS["track17"]):
        return hashlib.sha256(body + b"/" + key.encode()).hexdigest()

    @staticmethod
    def generic_body(events=(), positions=()):
        return json.dumps({"events": list(events), "positions": list(positions)}).encode()

    @staticmethod
    def generic_sign(body, secret=SECRETS["generic"]):
        return generic_sign(secret, body)

    @staticmethod
    def dt(text):
        return fields.Datetime.to_datetime(text) if isinstance(text, str) else text


def utc(*args):
    return datetime(*args)
