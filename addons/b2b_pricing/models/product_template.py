import base64
import io

from PIL import Image, ImageDraw, ImageFont

from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools.misc import file_path

PRODUCT_PRICING_FIELDS = {
    "list_price",
    "standard_price",
    "categ_id",
    "product_tag_ids",
    "additional_product_tag_ids",
    "uom_id",
    "currency_id",
    "price_extra",
    "active",
}


DEMO_IMAGE_SIZE = 512
DEMO_FONT = "web/static/fonts/lato/Lato-Bol-webfont.ttf"


def _rgb(colour):
    colour = colour.lstrip("#")
    return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))


def _mix(rgb, other, ratio):
    """`ratio` of `other` blended into `rgb`."""
    return tuple(round(a + (b - a) * ratio) for a, b in zip(rgb, other, strict=True))


class ProductTemplate(models.Model):
    _inherit = "product.template"

    def write(self, vals):
        res = super().write(vals)
        if PRODUCT_PRICING_FIELDS & set(vals):
            self.env["b2b.price.table"].sudo()._mark_dirty(
                products=self.with_context(active_test=False).product_variant_ids
            )
        return res

    # ------------------------------------------------------------------
    # Demo data helpers (called from demo/product_demo.xml only)
    # ------------------------------------------------------------------

    @api.model
    def _b2b_demo_configure_variants(self, specs):
        """Give each demo variant its own internal reference, barcode, cost and weight.

        :param specs: list of (template id, [product.attribute.value ids], values to write)
        """
        templates = self.browse({template_id for template_id, _values, _vals in specs})
        variants_by_key = {
            (
                variant.product_tmpl_id.id,
                frozenset(variant.product_template_attribute_value_ids.product_attribute_value_id.ids),
            ): variant
            for variant in templates.product_variant_ids
        }
        for template_id, value_ids, vals in specs:
            variant = variants_by_key.get((template_id, frozenset(value_ids)))
            if not variant:
                raise UserError(
                    self.env._(
                        "Demo data: product %(product)s has no variant with values %(values)s.",
                        product=self.browse(template_id).display_name,
                        values=self.env["product.attribute.value"].browse(value_ids).mapped("name"),
                    )
                )
            variant.write(vals)

    @api.model
    def _b2b_demo_set_name_translations(self, names, lang):
        """Store translated demo product names, even while `lang` is not installed.

        Translations live in the jsonb column; writing the key directly keeps them for the
        day the language is activated, when the catalogue then shows in that language.
        :param names: {template id: translated name}
        """
        self.env["product.template"].flush_model(["name"])
        self.env.cr.execute(
            """
            UPDATE product_template AS template
               SET name = template.name || jsonb_build_object(%s, translated.name)
              FROM unnest(%s::int[], %s::varchar[]) AS translated(id, name)
             WHERE template.id = translated.id
            """,
            [lang, list(names), list(names.values())],
        )
        self.browse(list(names)).invalidate_recordset(["name"])

    @api.model
    def _b2b_demo_generate_images(self, specs):
        """Draw a pack shot for each demo product (and each flavour / pack variant).

        Deterministic: the same specs give the same PNG bytes, without any download.
        :param specs: {template id: (shape, brand colour, brand, label, size)}
        """
        for template in self.browse(list(specs)):
            shape, colour, brand, label, size = specs[template.id]
            template.image_1920 = self._b2b_demo_pack_shot(shape, colour, brand, label, size)
            if len(template.product_variant_ids) < 2:
                continue
            for variant in template.product_variant_ids:
                values = variant.product_template_attribute_value_ids.product_attribute_value_id
                accent = next((value.html_color for value in values if value.html_color), None)
                variant.image_variant_1920 = self._b2b_demo_pack_shot(
                    shape, colour, brand, label, ", ".join(values.mapped("name")), accent=accent
                )

    @api.model
    def _b2b_demo_pack_shot(self, shape, colour, brand, label, size, accent=None):
        """A flat 512x512 PNG (base64) of a bottle, can, carton, jug, box, bag or cup."""
        main = _rgb(colour)
        dark = _mix(main, (0, 0, 0), 0.35)
        light = _mix(main, (255, 255, 255), 0.88)
        image = Image.new("RGB", (DEMO_IMAGE_SIZE, DEMO_IMAGE_SIZE), light)
        draw = ImageDraw.Draw(image)
        draw.ellipse((126, 448, 386, 484), fill=_mix(light, (0, 0, 0), 0.12))
        # Body silhouette, and the box where the label goes.
        if shape == "bottle":
            draw.rectangle((231, 58, 281, 92), fill=dark)
            draw.rectangle((236, 92, 276, 140), fill=main)
            draw.polygon([(236, 140), (276, 140), (326, 200), (186, 200)], fill=main)
            draw.rounded_rectangle((186, 190, 326, 462), radius=28, fill=main)
            label_box = (186, 260, 326, 390)
        elif shape == "can":
            draw.rounded_rectangle((166, 96, 346, 462), radius=22, fill=main)
            draw.ellipse((166, 80, 346, 124), fill=_mix(main, (255, 255, 255), 0.55))
            draw.ellipse((196, 90, 316, 114), fill=_mix(main, (255, 255, 255), 0.75))
            draw.rectangle((166, 440, 346, 452), fill=dark)
            label_box = (166, 210, 346, 350)
        elif shape == "carton":
            draw.polygon([(166, 150), (256, 88), (346, 150)], fill=dark)
            draw.rectangle((236, 70, 276, 96), fill=_mix(main, (255, 255, 255), 0.5))
            draw.rectangle((166, 150, 346, 462), fill=main)
            label_box = (166, 240, 346, 380)
        elif shape == "jug":
            draw.rectangle((226, 60, 286, 96), fill=dark)
            draw.rounded_rectangle((146, 96, 366, 462), radius=40, fill=main)
            draw.rounded_rectangle((300, 120, 390, 250), radius=30, outline=dark, width=16)
            label_box = (146, 250, 366, 400)
        elif shape == "box":
            draw.polygon([(96, 190), (146, 140), (466, 140), (416, 190)], fill=_mix(main, (255, 255, 255), 0.4))
            draw.polygon([(416, 190), (466, 140), (466, 400), (416, 450)], fill=dark)
            draw.rectangle((96, 190, 416, 450), fill=main)
            label_box = (96, 250, 416, 400)
        elif shape == "bag":
            teeth = [(136 + 20 * i, 96 if i % 2 else 110) for i in range(13)]
            bottom = [(376 - 20 * i, 450 if i % 2 else 464) for i in range(13)]
            draw.polygon([*teeth, (376, 140), *bottom, (136, 140)], fill=main)
            label_box = (136, 210, 376, 360)
        elif shape == "cup":
            draw.polygon([(166, 150), (346, 150), (318, 462), (194, 462)], fill=main)
            draw.ellipse((156, 128, 356, 172), fill=_mix(main, (255, 255, 255), 0.6))
            draw.line((280, 60, 262, 150), fill=dark, width=14)
            label_box = (176, 240, 336, 380)
        else:
            raise UserError(self.env._("Demo data: unknown pack shape %s.", shape))
        # White label with the brand, the product and the size (or variant).
        left, top, right, bottom = label_box
        draw.rectangle(label_box, fill=(255, 255, 255))
        if accent:
            draw.rectangle((left, bottom - 18, right, bottom), fill=_rgb(accent))
        width = right - left - 16
        self._b2b_demo_text(draw, brand, (left + right) / 2, top + 22, width, 22, dark)
        self._b2b_demo_text(draw, label, (left + right) / 2, (top + bottom) / 2 + 2, width, 40, main)
        self._b2b_demo_text(draw, size, (left + right) / 2, bottom - (38 if accent else 24), width, 22, dark)
        buffer = io.BytesIO()
        image.quantize(colors=32).save(buffer, "PNG", optimize=True)
        return base64.b64encode(buffer.getvalue())

    @api.model
    def _b2b_demo_text(self, draw, text, centre_x, centre_y, max_width, size, fill):
        font_path = file_path(DEMO_FONT)
        font = ImageFont.truetype(font_path, size)
        while size > 10 and draw.textlength(text, font=font) > max_width:
            size -= 2
            font = ImageFont.truetype(font_path, size)
        draw.text((centre_x, centre_y), text, font=font, fill=fill, anchor="mm")
