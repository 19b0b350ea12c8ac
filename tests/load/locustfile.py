"""Dealers browsing and ordering on the dealer portal (locust).

Each simulated dealer logs in once with its own portal user (created by
``tests/load/setup_load.py``, listed in ``var/load/fixture.json``), then, with a think time
between actions, browses catalogue pages, searches, opens products, adds to its cart,
validates and adds quick orders, and submits orders. Some products have only a few units
left: dealers race for them ("grab the last units") while the portal refuses to order more
than the free quantity. Run by ``scripts/load_test.sh`` (``make load``), which checks after
the run that nothing failed and that no low-stock product was oversold.

Every POST is sent without following its redirect: 303 is the expected answer; any other
status, a 5xx or an unexpected 4xx counts as a failure.
"""

import json
import os
import random
import re
import threading

from locust import HttpUser, between, events, task

FIXTURE = os.environ.get("B2B_LOAD_FIXTURE", os.path.join(os.path.dirname(__file__), "../../var/load/fixture.json"))
with open(FIXTURE, encoding="utf-8") as handle:
    DATA = json.load(handle)
WAIT_MIN = float(os.environ.get("B2B_LOAD_WAIT_MIN", "5"))
WAIT_MAX = float(os.environ.get("B2B_LOAD_WAIT_MAX", "25"))
# share of simulated dealers who sign in with their password (PBKDF2, 600,000 rounds) rather
# than arrive with the session cookie of an earlier visit
LOGIN_SHARE = float(os.environ.get("B2B_LOAD_LOGIN_SHARE", "0.1"))
SORTS = ["popular", "popular", "popular", "newest", "price_asc", "name"]
CSRF_RE = re.compile(r'name="csrf_token" value="([^"]+)"')
KEY_RE = re.compile(r'name="idempotency_key" value="([^"]+)"')
ORDER_RE = re.compile(r'name="order_id" value="(\d+)"')

_logins = list(DATA["logins"])
_lock = threading.Lock()
OUTCOMES = {"submitted": 0, "refused_stock": 0, "refused_other": 0, "empty_cart": 0, "hot_units_submitted": 0}


def _next_login():
    with _lock:
        if not _logins:
            _logins.extend(DATA["logins"])  # more simulated users than logins: share
        return _logins.pop(0)


class Dealer(HttpUser):
    wait_time = between(WAIT_MIN, WAIT_MAX)

    def on_start(self):
        self.login = _next_login()
        session = DATA.get("sessions", {}).get(self.login)
        if session and random.random() >= LOGIN_SHARE:
            # already signed in (the session cookie of an earlier visit)
            self.client.cookies.set("session_id", session)
        else:
            self.sign_in()
        page = self.client.get("/my/b2b/catalogue", name="catalogue page")
        token = CSRF_RE.search(page.text)
        if not token:
            self.csrf = ""
            return
        self.csrf = token.group(1)

    def sign_in(self):
        page = self.client.get("/web/login", name="login page")
        token = CSRF_RE.search(page.text).group(1)
        with self.client.post(
            "/web/login",
            data={"login": self.login, "password": DATA["password"], "csrf_token": token, "redirect": "/my/b2b"},
            name="login",
            allow_redirects=False,
            catch_response=True,
        ) as answer:
            if answer.status_code != 303 or "/web/login" in answer.headers.get("Location", ""):
                answer.failure(f"login of {self.login} refused ({answer.status_code})")

    # ---------------------------------------------------------------- helpers

    def post_form(self, path, data, name):
        with self.client.post(
            path, data={**data, "csrf_token": self.csrf}, name=name, allow_redirects=False, catch_response=True
        ) as answer:
            if answer.status_code not in (200, 303):
                answer.failure(f"{name}: HTTP {answer.status_code}")
            else:
                answer.success()
            return answer

    def add_to_cart(self, product_id, qty, name="add to cart"):
        return self.post_form(
            "/my/b2b/cart/add", {"product_id": product_id, "qty": qty, "redirect": "/my/b2b/catalogue"}, name
        )

    def submit(self, name="submit order"):
        with self.client.get(
            "/my/b2b/checkout", name="checkout page", allow_redirects=False, catch_response=True
        ) as page:
            if page.status_code == 303:  # empty cart: back to the cart page
                page.success()
                OUTCOMES["empty_cart"] += 1
                return None
            if page.status_code != 200:
                page.failure(f"checkout page: HTTP {page.status_code}")
                return None
            key, order = KEY_RE.search(page.text), ORDER_RE.search(page.text)
            if not key or not order:
                page.failure("checkout page without its form")
                return None
        answer = self.post_form(
            "/my/b2b/checkout/submit",
            {"order_id": order.group(1), "idempotency_key": key.group(1), "payment_mode": "on_account"},
            name,
        )
        location = answer.headers.get("Location", "")
        if "/my/b2b/orders/" in location:
            OUTCOMES["submitted"] += 1
            return True
        # refused (flash message on the next page): tell stock from other reasons, then the
        # dealer gives up this cart rather than keep a cart that can never be submitted
        flash = self.client.get("/my/b2b/cart", name="cart page").text
        OUTCOMES["refused_stock" if "Not enough stock" in flash else "refused_other"] += 1
        self.post_form(f"/my/b2b/cart/{order.group(1)}/delete", {}, "delete refused cart")
        return False

    # ---------------------------------------------------------------- what dealers do

    @task(8)
    def browse(self):
        self.client.get(
            f"/my/b2b/catalogue?sort={random.choice(SORTS)}&page={random.randint(1, 30)}", name="catalogue page"
        )

    @task(2)
    def browse_category(self):
        self.client.get(
            f"/my/b2b/catalogue?category={random.choice(DATA['categories'])}", name="catalogue category page"
        )

    @task(4)
    def search(self):
        self.client.get(f"/my/b2b/catalogue?search={random.choice(DATA['words'])}", name="catalogue search")

    @task(4)
    def product(self):
        self.client.get(f"/my/b2b/product/{random.choice(DATA['templates'])}", name="product page")

    @task(4)
    def add(self):
        self.add_to_cart(random.choice(DATA["products"]), random.choice([1, 2, 6, 12, 24]))

    @task(2)
    def quick_validate(self):
        rows = [{"sku": sku, "qty": str(random.choice([1, 6, 12]))} for sku in random.sample(DATA["skus"], 20)]
        with self.client.post(
            "/my/b2b/quick/validate",
            json={"jsonrpc": "2.0", "method": "call", "id": 1, "params": {"rows": rows}},
            name="quick order validate (20 rows)",
            catch_response=True,
        ) as answer:
            body = answer.json() if answer.status_code == 200 else {}
            if answer.status_code != 200 or "error" in body or len(body.get("result", {}).get("rows", [])) != 20:
                answer.failure(f"quick validate: HTTP {answer.status_code} {str(body)[:200]}")

    @task(1)
    def quick_add(self):
        data = {}
        for index, sku in enumerate(random.sample(DATA["skus"], 10)):
            data[f"sku_{index}"] = sku
            data[f"qty_{index}"] = random.choice([1, 6, 12])
        self.post_form("/my/b2b/quick/add", data, "quick order add (10 rows)")

    @task(2)
    def submit_order(self):
        self.submit()

    @task(3)
    def grab_last_units(self):
        """Race for a low-stock product: add 1-3 units and submit at once."""
        hot = random.choice(DATA["hot"])
        qty = random.randint(1, 3)
        self.add_to_cart(hot["product_id"], qty, name="hot: add last units")
        if self.submit(name="hot: submit order"):
            OUTCOMES["hot_units_submitted"] += qty


@events.test_stop.add_listener
def _save_outcomes(environment, **_kwargs):
    path = os.path.join(os.path.dirname(FIXTURE), "outcomes.json")
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(OUTCOMES, handle)
