from django.urls import path

from . import calendar_views

app_name = "calendar"

urlpatterns = [
    path("meeting/<int:pk>.ics", calendar_views.meeting_ics, name="meeting_ics"),
    path("checkin/<int:pk>.ics", calendar_views.checkin_ics, name="checkin_ics"),
    path("feed/reset/", calendar_views.feed_reset, name="feed_reset"),
    path("feed/<str:token>.ics", calendar_views.feed, name="feed"),
]
