"""Applications live under their cohort: ``/cohorts/<slug>/apply/``,
``/cohorts/<slug>/applications/…``."""

from django.urls import path

from . import views

app_name = "applications"

urlpatterns = [
    path("<slug:slug>/apply/", views.apply, name="apply"),
    path("<slug:slug>/applications/", views.review, name="review"),
    path("<slug:slug>/applications/export.csv", views.review_export, name="export"),
    path("<slug:slug>/applications/<int:pk>/", views.application_detail, name="detail"),
    path("<slug:slug>/applications/<int:pk>/decide/", views.application_decide, name="decide"),
    path(
        "<slug:slug>/applications/<int:pk>/withdraw/", views.application_withdraw, name="withdraw"
    ),
]
