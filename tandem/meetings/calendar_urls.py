from django.urls import path

app_name = "calendar"

urlpatterns: list = []  # filled in by the calendar work (feeds, .ics downloads)
