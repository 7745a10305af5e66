"""Workshop pages, under ``/cohorts/<slug>/workshops/`` (the cohort that plans the workshop)."""

from django.urls import path

from . import views

app_name = "workshops"

urlpatterns = [
    path("<slug:slug>/workshops/", views.workshop_list, name="list"),
    path("<slug:slug>/workshops/new/", views.workshop_edit, name="create"),
    path(
        "<slug:slug>/workshops/facilitators/",
        views.facilitator_search,
        name="facilitator_search",
    ),
    path("<slug:slug>/workshops/<int:pk>/", views.workshop_detail, name="detail"),
    path("<slug:slug>/workshops/<int:pk>/edit/", views.workshop_edit, name="edit"),
    path("<slug:slug>/workshops/sessions/<int:pk>/register/", views.register, name="register"),
    path(
        "<slug:slug>/workshops/registrations/<int:pk>/<str:action>/",
        views.registration_action,
        name="registration_action",
    ),
]
