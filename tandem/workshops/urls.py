"""Workshop pages, under ``/cohorts/<slug>/workshops/`` (the cohort that plans the workshop)."""

from django.urls import path  # noqa: F401  (the pages are added below)

app_name = "workshops"

urlpatterns: list = []
