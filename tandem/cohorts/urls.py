from django.urls import path

from . import views

app_name = "cohorts"

urlpatterns = [
    path("new/", views.cohort_edit, name="create"),
    path("<slug:slug>/", views.cohort_detail, name="detail"),
    path("<slug:slug>/edit/", views.cohort_edit, name="edit"),
]
