"""Instants at which "now" is tricky, for tests that must hold at any hour of any day.

Each is checked by hand (comments): a weekday early and late in the UTC day, the instant a real
run failed at, and the days clocks change in the partners' zones of the fixtures (Berlin,
Nairobi, Sao Paulo, London) and elsewhere (Los Angeles, Sydney, Chatham)."""

import datetime as dt

UTC = dt.UTC

ODD_INSTANTS: dict[str, dt.datetime] = {
    # Monday 00:05 UTC: still Sunday evening in the Americas.
    "mon-0005Z": dt.datetime(2026, 2, 2, 0, 5, tzinfo=UTC),
    # Wednesday 08:05 UTC: a failed run (a suggested check-in time earlier the same day).
    "wed-0805Z": dt.datetime(2026, 11, 25, 8, 5, tzinfo=UTC),
    # Thursday 16:59 UTC: 08:59 in Los Angeles, 19:59 in Nairobi.
    "thu-1659Z": dt.datetime(2026, 6, 11, 16, 59, tzinfo=UTC),
    # Friday 23:55 UTC: already Saturday from Berlin eastwards.
    "fri-2355Z": dt.datetime(2026, 9, 4, 23, 55, tzinfo=UTC),
    # Saturday 12:00 UTC, 29 February: a leap day.
    "sat-leap-day": dt.datetime(2028, 2, 29, 12, 0, tzinfo=UTC),
    # Sunday 2026-03-29 00:59:59 UTC: one second before Europe springs forward (01:00 UTC).
    "eu-spring-forward": dt.datetime(2026, 3, 29, 0, 59, 59, tzinfo=UTC),
    # Sunday 2026-10-25 00:30 UTC: 02:30 CEST, the first of Berlin's two 02:30s.
    "eu-fall-back": dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC),
    # Sunday 2026-11-01 09:30 UTC: 01:30 PST, the second of Los Angeles' two 01:30s.
    "us-fall-back": dt.datetime(2026, 11, 1, 9, 30, tzinfo=UTC),
    # Sunday 2026-04-05 02:30 local in Sydney after falling back (16:30 UTC on the 4th).
    "sydney-fall-back": dt.datetime(2026, 4, 4, 16, 30, tzinfo=UTC),
    # 31 December 23:59 UTC: New Year in every zone east of Greenwich.
    "new-year-eve": dt.datetime(2026, 12, 31, 23, 59, tzinfo=UTC),
}


def parse_clock(text: str) -> dt.datetime:
    """``--clock`` value: a name of :data:`ODD_INSTANTS` or an ISO 8601 instant with offset."""
    if text in ODD_INSTANTS:
        return ODD_INSTANTS[text]
    instant = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if instant.tzinfo is None:
        raise ValueError(f"--clock {text!r}: give an offset, e.g. 2026-03-29T00:59:59Z")
    return instant
