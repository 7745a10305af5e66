from django.urls import path

from . import views

app_name = "outbox"

urlpatterns = [
    path("", views.outbox, name="index"),
    path("send-reminders/", views.outbox_send_reminders, name="send"),
]
