"""Explanations as data: each reason is ``{"code": ..., "params": {...}}``; its English text.

The engine never writes sentences into its output.  A pair's ``reasons`` and an unmatched
person's ``why`` are codes with parameters (numbers unrounded, languages as ISO 639-1 codes,
people as the input's ids), so that an application can store them and render them in any
language with people's names.  :func:`render` is the reference English text (used by the
command line, which adds it as ``"text"``); the Django app has its own translatable renderer
of the same codes (``tandem.partnerships.reasons``).

Pair reasons (``pair["reasons"]``), in this order; code (params): English example.

* ``pinned``: pinned by programme staff
* ``kept``: existing pair kept (re-matching)
* ``swapped`` (written by the app, not the engine): swapped by programme staff
* ``warning_same_organisation`` (``organization``): warning: same organisation (org-1)
* ``warning_low_overlap`` (``min_hours``): warning: overlap below the minimum of 2 h/week
* ``gap_priority``: GAP-region learning lead (prioritised)
* ``no_shared_language`` (``min_level``): no shared language at level 2 of 3 or better
* ``shared_language`` (``language``, ``experienced_level``, ``learning_level``, ``also``: more
  language codes): both speak Spanish (3/3 and 2/3); also English
* ``overlap`` (``hours``): 6 h/week overlap
* ``overlap_dst`` (``min_hours``, ``max_hours``, ``week``: ISO date of the first tightest
  week): 2 h/week overlap in the tightest weeks (first: week of 2024-03-11), up to 3 h in
  others (daylight saving time)
* ``needs_unstated`` (``average``): no needs stated; the lead's average expertise is 1.7/3
  across topics
* ``needs`` (``total``; ``covered``: ``[{topic, level, from_challenges}]``; ``missing``:
  ``[{topic, from_challenges}]``): covers 2 of 3 needs: metadata-quality 3/3, outreach 2/3
  (from challenges); not covered: training
* ``experience_gap`` (``ahead``): experience gap: ahead by 1.5 levels on average on the
  needed topics
* ``no_experience_gap``: no experience gap on the needed topics
* ``goals`` (``similarity``, ``terms``): goal similarity 0.21 (shared terms: train)
* ``no_shared_terms``: no shared terms in goals and challenges
* ``score`` (``score``; ``parts``: ``[component, weighted value]`` in component order):
  score 0.742 = expertise 0.311, goals 0.014, language 0.100, overlap 0.200, gap 0.117
* ``legacy`` (``text``): a sentence stored before reasons were codes, shown as it is

Why someone is unmatched (``unmatched[k]["why"]``).  ``side`` is the side of the missing
candidates (``"experienced"`` for a learning lead, ``"learning"`` for an experienced lead);
``ids`` lists at most five candidates and ``more`` counts the others.  Examples for a
learning lead:

* ``no_candidates`` (``side``): there are no experienced leads in this input
* ``no_capacity`` (experienced leads): capacity is 0
* ``all_same_organisation`` (``side``, ``organization``): every experienced lead is from the
  same organisation (org-1)
* ``no_language_match`` (``side``, ``min_level``; learning leads also ``spoken``:
  ``[code, level]`` pairs): no shared language (at least level 2 of 3 on both sides) with any
  experienced lead from another organisation (speaks: Spanish 3/3)
* ``no_availability``: no availability windows given
* ``too_little_overlap`` (``side``, ``candidates``, ``min_hours``; learning leads also
  ``best_hours`` and ``best``, an id): shares a language with 2 experienced leads from
  other organisations, but none has at least 2 h/week availability overlap in every week of
  the period (best: 0 h with e2)
* ``only_forbidden`` (``side``, ``ids``, ``more``): the only compatible experienced leads are
  forbidden pairs: e1
* ``candidates_without_capacity`` (``ids``, ``more``): the compatible experienced leads (e1)
  have capacity 0
* ``candidates_full`` (``count``, ``ids``, ``more``, ``method``, ``fixed``, ``gap``,
  ``higher_score``): the 1 compatible experienced lead (e1) is at full capacity in the
  optimal assignment; their places went to 1 GAP-region learning lead
* ``candidates_taken`` (experienced leads; ``count``, ``ids``, ``more``, ``method``): all 2
  compatible learning leads (l1, l2) are matched to other experienced leads in the optimal
  assignment
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypedDict


class Reason(TypedDict):
    code: str
    params: dict[str, Any]


LEGACY = "legacy"
MAX_IDS = 5

LANGUAGE_NAMES = {
    "af": "Afrikaans", "am": "Amharic", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali",
    "ca": "Catalan", "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German",
    "el": "Greek", "en": "English", "es": "Spanish", "et": "Estonian", "eu": "Basque",
    "fa": "Persian", "fi": "Finnish", "fr": "French", "ga": "Irish", "gl": "Galician",
    "gu": "Gujarati", "ha": "Hausa", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian",
    "hu": "Hungarian", "hy": "Armenian", "id": "Indonesian", "ig": "Igbo", "is": "Icelandic",
    "it": "Italian", "ja": "Japanese", "ka": "Georgian", "kk": "Kazakh", "km": "Khmer",
    "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian",
    "ml": "Malayalam", "mn": "Mongolian", "mr": "Marathi", "ms": "Malay", "mt": "Maltese",
    "my": "Burmese", "ne": "Nepali", "nl": "Dutch", "no": "Norwegian", "pa": "Punjabi",
    "pl": "Polish", "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "rw": "Kinyarwanda",
    "si": "Sinhala", "sk": "Slovak", "sl": "Slovenian", "so": "Somali", "sq": "Albanian",
    "sr": "Serbian", "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu",
    "th": "Thai", "tl": "Tagalog", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu",
    "uz": "Uzbek", "vi": "Vietnamese", "xh": "Xhosa", "yo": "Yoruba", "zh": "Chinese",
    "zu": "Zulu",
}  # fmt: skip

METHOD_NAMES = {"optimal": "optimal", "greedy": "greedy", "gale-shapley": "stable"}


def reason(code: str, **params: Any) -> Reason:
    """``{"code": code, "params": params}`` (JSON-ready: plain ints, floats, strings, lists)."""
    return {"code": code, "params": params}


def some_ids(ids: Sequence[str]) -> dict[str, Any]:
    """``{"ids": the first MAX_IDS, "more": how many others}`` for a list of candidates."""
    return {"ids": list(ids[:MAX_IDS]), "more": max(0, len(ids) - MAX_IDS)}


# --- English ----------------------------------------------------------------------------------


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code.split("-")[0].split("_")[0], code)


def hours(value: float) -> str:
    """``6`` -> ``"6 h"``, ``2.5`` -> ``"2.5 h"``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} h"


def render(item: Reason | str, names: Mapping[str, str] | None = None) -> str:
    """The English sentence of a reason or a ``why``; ``names`` maps ids to names (default:
    the ids themselves).  An unknown code renders as the code and its parameters."""
    if isinstance(item, str):  # stored before reasons were codes
        return item
    code, params = item.get("code", ""), item.get("params") or {}
    fn = _ENGLISH.get(code)
    if fn is None:
        return f"{code} {params}" if params else code
    return fn(params, (lambda pid: names.get(pid, pid)) if names else (lambda pid: pid))


def with_text(result: dict[str, Any], names: Mapping[str, str] | None = None) -> dict[str, Any]:
    """A copy of a ``solve``/``score`` result whose reasons and ``why`` also carry ``"text"``
    (English), as the command line prints them."""
    out = dict(result)
    out["pairs"] = [
        {**p, "reasons": [{**r, "text": render(r, names)} for r in p["reasons"]]}
        for p in result.get("pairs", [])
    ]
    if "unmatched" in result:
        out["unmatched"] = [
            {**u, "why": {**u["why"], "text": render(u["why"], names)}} for u in result["unmatched"]
        ]
    return out


def _ids(params: Mapping[str, Any], name: Callable[[str], str]) -> str:
    shown = ", ".join(name(pid) for pid in params["ids"])
    return shown + (f" and {params['more']} more" if params.get("more") else "")


def _method(params: Mapping[str, Any]) -> str:
    return METHOD_NAMES.get(params["method"], params["method"])


def _shared_language(p: Mapping[str, Any], name: Callable[[str], str]) -> str:
    text = (
        f"both speak {language_name(p['language'])} "
        f"({p['experienced_level']}/3 and {p['learning_level']}/3)"
    )
    also = [language_name(c) for c in p.get("also", [])]
    return text + (f"; also {', '.join(also)}" if also else "")


def _needs(p: Mapping[str, Any], name: Callable[[str], str]) -> str:
    def label(need: Mapping[str, Any]) -> str:
        text = need["topic"] + (f" {need['level']}/3" if "level" in need else "")
        return text + (" (from challenges)" if need["from_challenges"] else "")

    text = f"covers {len(p['covered'])} of {p['total']} needs"
    if p["covered"]:
        text += ": " + ", ".join(label(n) for n in p["covered"])
    if p["missing"]:
        text += "; not covered: " + ", ".join(label(n) for n in p["missing"])
    return text


def _no_language_match(p: Mapping[str, Any], name: Callable[[str], str]) -> str:
    text = (
        f"no shared language (at least level {p['min_level']} of 3 on both sides) with any "
        f"{p['side']} lead from another organisation"
    )
    if p["side"] == "experienced":
        spoken = ", ".join(f"{language_name(c)} {v}/3" for c, v in p.get("spoken", []))
        text += f" (speaks: {spoken or 'none given'})"
    return text


def _too_little_overlap(p: Mapping[str, Any], name: Callable[[str], str]) -> str:
    n, need = p["candidates"], hours(p["min_hours"])
    if p["side"] == "experienced":
        if n == 1:
            who = (
                f"shares a language with 1 experienced lead from another organisation, but "
                f"they do not have {need}/week"
            )
        else:
            who = (
                f"shares a language with {n} experienced leads from other organisations, but "
                f"none has at least {need}/week"
            )
        return (
            f"{who} availability overlap in every week of the period (best: "
            f"{hours(p['best_hours'])} with {name(p['best'])})"
        )
    if n == 1:
        return (
            f"shares a language with 1 learning lead, who does not have {need}/week "
            f"availability overlap in every week"
        )
    return (
        f"shares a language with {n} learning leads, but none has at least {need}/week "
        f"availability overlap in every week"
    )


def _candidates_full(p: Mapping[str, Any], name: Callable[[str], str]) -> str:
    parts = [
        f"{n} {one if n == 1 else many}"
        for n, one, many in (
            (p["fixed"], "pinned or kept pair", "pinned or kept pairs"),
            (p["gap"], "GAP-region learning lead", "GAP-region learning leads"),
            (
                p["higher_score"],
                "pair with a higher total score",
                "pairs with a higher total score",
            ),
        )
        if n
    ]
    if p["count"] == 1:
        who = f"the 1 compatible experienced lead ({_ids(p, name)}) is"
    else:
        who = f"all {p['count']} compatible experienced leads ({_ids(p, name)}) are"
    return (
        f"{who} at full capacity in the {_method(p)} assignment; their places went to "
        f"{' and '.join(parts)}"
    )


_ENGLISH: dict[str, Callable[[Mapping[str, Any], Callable[[str], str]], str]] = {
    # pair reasons
    "pinned": lambda p, n: "pinned by programme staff",
    "kept": lambda p, n: "existing pair kept (re-matching)",
    "swapped": lambda p, n: "swapped by programme staff",
    "warning_same_organisation": lambda p, n: f"warning: same organisation ({p['organization']})",
    "warning_low_overlap": lambda p, n: (
        f"warning: overlap below the minimum of {hours(p['min_hours'])}/week"
    ),
    "gap_priority": lambda p, n: "GAP-region learning lead (prioritised)",
    "no_shared_language": lambda p, n: (
        f"no shared language at level {p['min_level']} of 3 or better"
    ),
    "shared_language": _shared_language,
    "overlap": lambda p, n: f"{hours(p['hours'])}/week overlap",
    "overlap_dst": lambda p, n: (
        f"{hours(p['min_hours'])}/week overlap in the tightest weeks (first: week of "
        f"{p['week']}), up to {hours(p['max_hours'])} in others (daylight saving time)"
    ),
    "needs_unstated": lambda p, n: (
        f"no needs stated; the lead's average expertise is {p['average']:.1f}/3 across topics"
    ),
    "needs": _needs,
    "experience_gap": lambda p, n: (
        f"experience gap: ahead by {p['ahead']:.1f} levels on average on the needed topics"
    ),
    "no_experience_gap": lambda p, n: "no experience gap on the needed topics",
    "goals": lambda p, n: (
        f"goal similarity {p['similarity']:.2f} (shared terms: {', '.join(p['terms'])})"
    ),
    "no_shared_terms": lambda p, n: "no shared terms in goals and challenges",
    "score": lambda p, n: (
        f"score {p['score']:.3f} = " + ", ".join(f"{k} {v:.3f}" for k, v in p["parts"])
    ),
    LEGACY: lambda p, n: p["text"],
    # why unmatched
    "no_candidates": lambda p, n: f"there are no {p['side']} leads in this input",
    "no_capacity": lambda p, n: "capacity is 0",
    "all_same_organisation": lambda p, n: (
        f"every {p['side']} lead is from the same organisation ({p['organization']})"
    ),
    "no_language_match": _no_language_match,
    "no_availability": lambda p, n: "no availability windows given",
    "too_little_overlap": _too_little_overlap,
    "only_forbidden": lambda p, n: (
        f"the only compatible {p['side']} leads are forbidden pairs: {_ids(p, n)}"
    ),
    "candidates_without_capacity": lambda p, n: (
        f"the compatible experienced leads ({_ids(p, n)}) have capacity 0"
    ),
    "candidates_full": _candidates_full,
    "candidates_taken": lambda p, n: (
        f"the 1 compatible learning lead ({_ids(p, n)}) is matched to another experienced "
        f"lead in the {_method(p)} assignment"
        if p["count"] == 1
        else f"all {p['count']} compatible learning leads ({_ids(p, n)}) are matched to "
        f"other experienced leads in the {_method(p)} assignment"
    ),
}

#: Every code the engine (or the app, for ``swapped`` and ``legacy``) writes.
CODES = frozenset(_ENGLISH)
