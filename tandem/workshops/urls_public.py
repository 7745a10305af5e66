"""Public workshop pages, under ``/certificates/``: anyone checks a certificate of attendance."""

from django.urls import path

from .views import verify as views_verify

app_name = "certificates"

urlpatterns = [
    path("verify/", views_verify.verify, name="verify"),
    path("verify/<str:code>/", views_verify.verified, name="verified"),
]
