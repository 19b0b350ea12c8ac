from odoo.tests import TransactionCase, tagged

B2B_MODULES = ("b2b_pricing", "b2b_credit", "b2b_logistics", "b2b_portal", "b2b_reports")


@tagged("post_install", "-at_install")
class TestSuiteInstall(TransactionCase):
    def test_all_modules_installed_with_declared_dependencies(self):
        modules = self.env["ir.module.module"].search([("name", "in", B2B_MODULES)])
        self.assertEqual(set(modules.mapped("state")), {"installed"})
        deps = {m.name: set(m.dependencies_id.mapped("name")) for m in modules}
        self.assertEqual(deps["b2b_pricing"], {"sale_management"})
        self.assertEqual(deps["b2b_credit"], {"sale_management", "account"})
        self.assertEqual(deps["b2b_logistics"], {"sale_stock", "stock_delivery"})
        self.assertEqual(deps["b2b_portal"], {"portal", "b2b_pricing", "b2b_credit", "b2b_logistics"})
        self.assertEqual(deps["b2b_reports"], {"b2b_pricing", "b2b_credit", "b2b_logistics", "b2b_portal"})
        for module in modules:
            self.assertEqual(module.license, "LGPL-3")
            self.assertEqual(module.installed_version, "18.0.1.0.0")
