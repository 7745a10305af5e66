"""Home-page blocks: each app registers what it shows on a person's home page.

An app calls :func:`register` in its ``AppConfig.ready()``; the home page (``tandem.home``)
renders every block whose ``context`` returns a dict, in ``order``. So a new app adds its part
of the home page without editing the home page or any other app."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.http import HttpRequest

Audience = Literal["visitor", "participant", "coordinator", "anyone"]


@dataclass(frozen=True)
class Block:
    name: str
    template: str
    context: Callable[[HttpRequest], dict[str, Any] | None]
    audience: Audience = "participant"
    order: int = 100


_blocks: dict[str, Block] = {}


def register(block: Block) -> Block:
    """Add (or replace, by name) a block."""
    _blocks[block.name] = block
    return block


def audience_of(request: HttpRequest) -> Audience:
    user = request.user
    if not user.is_authenticated:
        return "visitor"
    return "coordinator" if user.is_coordinator else "participant"


def blocks_for(request: HttpRequest) -> list[tuple[Block, dict[str, Any]]]:
    """The blocks this person sees, with their contexts, in order."""
    audience = audience_of(request)
    shown = []
    for block in sorted(_blocks.values(), key=lambda b: (b.order, b.name)):
        if block.audience not in (audience, "anyone"):
            continue
        context = block.context(request)
        if context is not None:
            shown.append((block, context))
    return shown
