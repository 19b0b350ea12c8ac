import gzip
import re
from unittest.mock import patch

from odoo.tests import tagged
from odoo.tools import config

from .common import B2bPortalHttpCase

# A dealer's first load of a portal page: HTML + every JS/CSS file it references.
BUDGET = 500 * 1024
ASSET_RE = re.compile(
    r"<script\b[^>]*?\b(?:data-)?src=\"([^\"]+)\"|<link\b(?=[^>]*\brel=\"stylesheet\")[^>]*?\bhref=\"([^\"]+)\""
)


@tagged("post_install", "-at_install")
class TestPageWeight(B2bPortalHttpCase):
    def first_load(self, path):
        """(total bytes, gzip bytes, asset urls) of ``path`` as a dealer's browser loads it."""
        # Rendered as in production: test mode adds the tour machinery to every page.
        with patch.dict(config.options, {"test_enable": False}):
            response = self.url_open(path)
        self.assertEqual(response.status_code, 200)
        html = response.content
        urls = [src or href for src, href in ASSET_RE.findall(html.decode())]
        total, packed = len(html), len(gzip.compress(html))
        for url in dict.fromkeys(urls):
            body = self.url_open(url).content
            total += len(body)
            packed += len(gzip.compress(body))
        return total, packed, urls

    def test_first_page_load_is_under_budget(self):
        self.authenticate(self.buyer_a.login, self.buyer_a.login + "_pw1234")
        for path in ("/my/b2b/catalogue", "/my/b2b/quick", "/my/b2b/cart"):
            total, packed, urls = self.first_load(path)
            self.assertTrue(any(".css" in url for url in urls), f"{path}: no stylesheet found")
            self.assertTrue(any(".js" in url for url in urls), f"{path}: no script found")
            self.assertLessEqual(
                total,
                BUDGET,
                f"{path}: first load is {total / 1024:.0f} KB uncompressed ({packed / 1024:.0f} KB gzip), "
                f"over the {BUDGET // 1024} KB budget: {urls}",
            )
