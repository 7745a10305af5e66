"""Input validation shared by the pure engines (``tandem.engines.pairing``, ``.scheduling``)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo


class EngineInputError(ValueError):
    """Missing or malformed input.  ``participant`` and ``field`` say where.

    ``str(error)`` is a complete sentence: ``<who>: field '<field>': <message>``, where
    ``<who>`` comes from :meth:`subject` (engines word it for their own participants).
    """

    def __init__(
        self,
        message: str,
        *,
        field: str,
        participant: str | None = None,
        location: str | None = None,
    ) -> None:
        self.message = message
        self.field = field
        self.participant = participant
        self.location = location
        super().__init__(f"{self.subject()}: field {field!r}: {message}")

    def subject(self) -> str:
        if self.participant is not None:
            return f"participant {self.participant!r}" + (
                f" ({self.location})" if self.location else ""
            )
        return self.location if self.location is not None else "input"


def is_int(value: Any) -> bool:
    """An int that is not a bool (JSON ``true`` must not count as 1)."""
    return isinstance(value, int) and not isinstance(value, bool)


@lru_cache(maxsize=4096)
def known_zone(name: str) -> bool:
    """Whether ``name`` is an IANA zone this machine's tz database knows."""
    try:
        ZoneInfo(name)
    except (KeyError, ValueError, OSError):
        return False
    return True
