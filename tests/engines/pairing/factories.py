"""Builders for pairing inputs and a hypothesis strategy for small random instances."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import strategies as st

PERIOD = ["2024-03-01", "2024-04-14"]  # covers the US, EU and AU transitions


def experienced(pid: str, **kw: Any) -> dict[str, Any]:
    base = {
        "id": pid,
        "organization": f"org-{pid}",
        "timezone": "UTC",
        "languages": {"en": 3},
        "expertise": {"metadata-quality": 3, "outreach": 2},
        "goals": ["share metadata quality practice"],
        "availability": [["mon", "09:00", "13:00"], ["wed", "09:00", "13:00"]],
        "capacity": 1,
        "gap": False,
    }
    return base | kw


def learning(pid: str, **kw: Any) -> dict[str, Any]:
    base = {
        "id": pid,
        "organization": f"org-{pid}",
        "timezone": "UTC",
        "languages": {"en": 2},
        "expertise": {},
        "goals": ["improve metadata quality"],
        "needs": ["metadata-quality"],
        "challenges": [],
        "availability": [["mon", "09:00", "13:00"], ["wed", "09:00", "13:00"]],
        "gap": False,
    }
    return base | kw


def instance(exp: list[dict], learn: list[dict], **kw: Any) -> dict[str, Any]:
    settings = {"period": PERIOD, "min_overlap_hours": 1} | kw.pop("settings", {})
    return {"experienced": exp, "learning": learn, "settings": settings} | kw


ZONES = [
    "UTC",
    "Europe/London",
    "Europe/Berlin",
    "Africa/Nairobi",
    "America/New_York",
    "Asia/Kathmandu",
    "Australia/Sydney",
]
TOPICS = ["metadata-quality", "outreach", "governance", "training"]
WORDS = ["metadata", "training", "outreach", "community", "governance", "repository", "doi"]


@st.composite
def windows(draw: st.DrawFn) -> list[list[str]]:
    out = []
    for _ in range(draw(st.integers(1, 3))):
        day = draw(st.sampled_from(["mon", "tue", "wed"]))
        start = draw(st.integers(7, 16))
        length = draw(st.integers(2, 7))
        out.append([day, f"{start:02d}:00", f"{min(start + length, 24):02d}:00"])
    return out


@st.composite
def person(draw: st.DrawFn, pid: str, role: str) -> dict[str, Any]:
    langs = {"en": draw(st.sampled_from([2, 3, 3, 1]))} | draw(
        st.dictionaries(st.sampled_from(["es", "fr"]), st.integers(1, 3), max_size=1)
    )
    base = {
        "id": pid,
        "organization": draw(st.sampled_from(["org-a", "org-b", "org-c", "org-d", "org-e"])),
        "timezone": draw(st.sampled_from(ZONES[:4]) | st.sampled_from(ZONES)),
        "languages": langs,
        "expertise": draw(st.dictionaries(st.sampled_from(TOPICS), st.integers(0, 3), max_size=3)),
        "goals": [" ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4)))],
        "availability": draw(windows()),
        "gap": draw(st.booleans()),
    }
    if role == "experienced":
        base["capacity"] = draw(st.integers(0, 2))
    else:
        base["needs"] = draw(st.lists(st.sampled_from(TOPICS), max_size=2, unique=True))
        base["challenges"] = [" ".join(draw(st.lists(st.sampled_from(WORDS), max_size=3)))]
    return base


@st.composite
def instances(draw: st.DrawFn, max_e: int = 3, max_l: int = 5, fixed: bool = True) -> dict:
    n = draw(st.integers(1, max_e))
    m = draw(st.integers(2, max_l))
    exp = [draw(person(f"e{k}", "experienced")) for k in range(n)]
    learn = [draw(person(f"l{k}", "learning")) for k in range(m)]
    all_pairs = [[e["id"], lrn["id"]] for e, lrn in itertools.product(exp, learn)]
    forbidden = draw(st.lists(st.sampled_from(all_pairs), max_size=2))
    pinned, keep = [], []
    if fixed:
        load: dict[str, int] = {}
        used: set[str] = set()
        for pair in draw(st.lists(st.sampled_from(all_pairs), max_size=2)):
            e_id, l_id = pair
            cap = next(e["capacity"] for e in exp if e["id"] == e_id)
            if pair in forbidden or l_id in used or load.get(e_id, 0) >= cap:
                continue
            used.add(l_id)
            load[e_id] = load.get(e_id, 0) + 1
            (pinned if draw(st.booleans()) else keep).append(pair)
    return instance(
        exp,
        learn,
        forbidden=forbidden,
        pinned=pinned,
        keep=keep,
        settings={"min_overlap_hours": draw(st.sampled_from([1, 0, 0.5, 2]))},
    )
