"""QuickSelect renders exactly what Django's Select renders, without a template per option."""

from django import forms
from django.test import SimpleTestCase

from tandem.core.widgets import QuickSelect

CHOICES = [
    ("", "—"),
    ("en", "English"),
    ("fr", 'Français <&> "quoted"'),
    ("Group", [("a", "A"), ("b", "B")]),
    (3, "Three"),
]


class QuickSelectTest(SimpleTestCase):
    def assert_same(self, value, attrs=None):
        reference = forms.Select(choices=CHOICES, attrs=attrs).render("f", value)
        quick = QuickSelect(choices=CHOICES, attrs=attrs).render("f", value)
        self.assertHTMLEqual(quick, reference)

    def test_same_html_as_django(self):
        for value in (None, "", "fr", "b", 3, "3", "<script>"):
            with self.subTest(value=value):
                self.assert_same(value, attrs={"id": "id_f", "required": True, "class": "x"})

    def test_escapes_labels_and_values(self):
        html = QuickSelect(choices=[('"><script>', "<b>x</b>")]).render("f", None)
        self.assertNotIn("<script>", html)
        self.assertNotIn("<b>", html)

    def test_selected_option_marked(self):
        html = QuickSelect(choices=CHOICES).render("f", "en")
        self.assertIn('<option value="en" selected>English</option>', html)

    def test_form_field_uses_it(self):
        class F(forms.Form):
            code = forms.ChoiceField(choices=CHOICES, widget=QuickSelect, required=False)

        form = F({"code": "fr"})
        self.assertTrue(form.is_valid())
        self.assertIn('value="fr" selected', str(form["code"]))
