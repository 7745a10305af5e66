"""Public notification pages, under ``/notifications/``: one-click unsubscribe (no sign-in)."""

from django.urls import path

from .views import unsubscribe as views_unsubscribe

app_name = "notifications"

urlpatterns = [
    path("unsubscribe/<str:token>/", views_unsubscribe.one_click, name="unsubscribe"),
]
