from django.urls import path

from . import views

app_name = "resources"

urlpatterns = [
    path("", views.library, name="library"),
    path("share/", views.share, name="share"),
    path("mine/", views.mine, name="mine"),
    path("review/", views.review_queue, name="review_queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/download/", views.download, name="download"),
    path("<int:pk>/v<int:number>/download/", views.download, name="version_download"),
    path("<int:pk>/versions/new/", views.new_version, name="new_version"),
    path("<int:pk>/translate/", views.share, name="add_variant"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/remove/", views.remove, name="remove"),
    path("<int:pk>/feature/", views.feature, name="feature"),
    path("<int:pk>/useful/", views.useful, name="useful"),
    path("<int:pk>/comment/", views.comment, name="comment"),
    path("<int:pk>/review/", views.decide, name="decide"),
]
