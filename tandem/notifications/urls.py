from django.urls import path

from .views import outbox as views

app_name = "outbox"

urlpatterns = [
    path("", views.outbox, name="index"),
    path("send-reminders/", views.outbox_send_reminders, name="send"),
]
