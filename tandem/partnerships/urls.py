from django.urls import path

from . import views

app_name = "partnerships"

urlpatterns = [
    path("<slug:slug>/pairing/", views.pairing_home, name="home"),
    path("<slug:slug>/pairing/roles/<int:pk>/", views.set_role, name="set_role"),
    path("<slug:slug>/pairing/people/", views.people_search, name="people_search"),
    path("<slug:slug>/pairing/runs/", views.run_create, name="run_create"),
    path("<slug:slug>/pairing/runs/<int:pk>/", views.run_detail, name="run"),
    path("<slug:slug>/pairing/runs/<int:pk>/status/", views.run_status, name="run_status"),
    path("<slug:slug>/pairing/pairs/<int:pk>/swap-search/", views.swap_search, name="swap_search"),
    path("<slug:slug>/pairing/runs/<int:pk>/approve/", views.run_approve_all, name="approve_all"),
    path("<slug:slug>/pairing/publish/", views.publish, name="publish"),
    path("<slug:slug>/pairs/<int:pk>/end/", views.pair_end, name="end"),
    path("<slug:slug>/pairs/<int:pk>/<str:action>/", views.pair_action, name="pair_action"),
]
