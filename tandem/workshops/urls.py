"""Workshop pages, under ``/cohorts/<slug>/workshops/`` (the cohort that plans the workshop)."""

from django.urls import path

from .views import reports as views_reports
from .views import run as views_run
from .views import topics as views_topics
from .views import workshops as views

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
    # Running workshops, topics chosen with the cohort, the cohort's report (issue 14, part 2).
    path("<slug:slug>/workshops/topics/", views_topics.topic_list, name="topics"),
    path("<slug:slug>/workshops/topics/<int:pk>/vote/", views_topics.topic_vote, name="topic_vote"),
    path(
        "<slug:slug>/workshops/topics/<int:pk>/withdraw/",
        views_topics.topic_delete,
        name="topic_delete",
    ),
    path("<slug:slug>/workshops/report/", views_reports.report, name="report"),
    path("<slug:slug>/workshops/report.csv", views_reports.report_csv, name="report_csv"),
    path("<slug:slug>/workshops/<int:pk>/run/", views_run.run_overview, name="run"),
    path("<slug:slug>/workshops/<int:pk>/materials/", views_run.material_list, name="materials"),
    path(
        "<slug:slug>/workshops/materials/<int:pk>/file/",
        views_run.material_file,
        name="material_file",
    ),
    path(
        "<slug:slug>/workshops/materials/<int:pk>/remove/",
        views_run.material_delete,
        name="material_delete",
    ),
    path("<slug:slug>/workshops/sessions/<int:pk>/roster/", views_run.roster, name="roster"),
    path("<slug:slug>/workshops/sessions/<int:pk>/rate/", views_run.rate, name="rate"),
    path(
        "<slug:slug>/workshops/sessions/<int:pk>/certificate/",
        views_run.certificate,
        name="certificate",
    ),
    path(
        "<slug:slug>/workshops/sessions/<int:pk>/certificates/",
        views_run.session_certificates,
        name="session_certificates",
    ),
    path(
        "<slug:slug>/workshops/attendance/<int:pk>/",
        views_run.mark_attendance,
        name="mark_attendance",
    ),
]
