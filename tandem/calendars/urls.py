"""The calendar's addresses: the feed, and one download route per registered event source
(``/calendar/<source>/<pk>.ics``, named ``calendar:<source>_ics``; see :mod:`.events`)."""

from django.urls import path

from . import events, views

app_name = "calendar"

urlpatterns = [
    *(
        path(
            f"{source.name}/<int:pk>.ics",
            views.download,
            {"source": source.name},
            name=f"{source.name}_ics",
        )
        for source in events.sources()
        if source.download is not None
    ),
    path("feed/reset/", views.feed_reset, name="feed_reset"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
]
