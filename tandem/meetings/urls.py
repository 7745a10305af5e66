from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("<slug:slug>/meetings/", views.meeting_list, name="list"),
    path("<slug:slug>/meetings/new/", views.meeting_edit, name="create"),
    path("<slug:slug>/meetings/find-time/", views.find_time, name="find_time"),
    path("<slug:slug>/meetings/guidelines/", views.guidelines_search, name="guidelines_search"),
    path("<slug:slug>/meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("<slug:slug>/meetings/<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("<slug:slug>/checkins/", views.checkin_overview, name="checkins"),
    path("<slug:slug>/checkins/<int:pk>/", views.checkin_detail, name="checkin"),
    path(
        "<slug:slug>/checkins/<int:pk>/<str:action>/", views.checkin_action, name="checkin_action"
    ),
]
