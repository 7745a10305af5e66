from django.contrib import admin
from django.urls import include, path

from tandem.api.views import api
from tandem.home import views as home_views

admin.site.site_header = "Tandem back office"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("accounts/", include("tandem.accounts.urls")),
    path("cohorts/", include("tandem.cohorts.urls")),
    path("cohorts/", include("tandem.applications.urls")),
    path("cohorts/", include("tandem.partnerships.urls")),
    path("cohorts/", include("tandem.meetings.urls")),
    path("cohorts/", include("tandem.workshops.urls")),
    path("certificates/", include("tandem.workshops.urls_public")),
    path("library/", include("tandem.resources.urls")),
    path("calendar/", include("tandem.calendars.urls")),
    path("outbox/", include("tandem.notifications.urls")),
    path("notifications/", include("tandem.notifications.urls_public")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
# Uploads (MEDIA_ROOT) are never served at MEDIA_URL, in any settings: only through views that
# check who may see them (e.g. resources:download), which answer with tandem.core.uploads.

handler403 = "tandem.core.views.permission_denied"
