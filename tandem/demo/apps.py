from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Realistic demo data relative to today. Imports every app; no app imports it."""

    name = "tandem.demo"
    verbose_name = "Demo data"
