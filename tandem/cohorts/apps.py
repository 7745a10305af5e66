from django.apps import AppConfig


class CohortsConfig(AppConfig):
    name = "tandem.cohorts"
    verbose_name = "Cohorts & applications"
