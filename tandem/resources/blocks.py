"""The library's home-page block: what is new in the library for this person."""

from tandem.core.blocks import Block, register

from .models import Status
from .selectors import visible_to


def _new_in_library(request):
    resources = list(
        visible_to(request.user)
        .filter(status=Status.PUBLISHED)
        .only("pk", "title", "kind", "language", "created_at")
        .order_by("-created_at", "-pk")[:5]
    )
    return {"resources": resources} if resources else None


def register_blocks() -> None:
    register(Block("library", "resources/_home_library.html", _new_in_library, order=60))
