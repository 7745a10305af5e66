"""The pairing engine's explanations, rendered for people: translatable, with names.

The engine writes each reason as ``{"code": ..., "params": {...}}`` (the codes are listed in
:mod:`tandem.engines.pairing.reasons`), and that is what ``Partnership.reasons`` and
``MatchRun.result["unmatched"][k]["why"]`` store.  :func:`render` turns one into a sentence in
the active language; participant ids in the parameters (``a42``) become the names of the
run's applications.  In templates: ``{% load reasons %}{% reason r people %}``.

In English the sentences are the engine's own (``tandem.engines.pairing.reasons.render``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext_lazy

from tandem.engines.pairing.reasons import LEGACY, Reason, language_name

# Who a participant id stands for: an Application (its ``full_name``), a name, or absent.
People = Mapping[str, Any] | None


def _name(people: People) -> Callable[[str], str]:
    def name(pid: str) -> str:
        who = (people or {}).get(pid)
        if who is None:
            return pid
        return str(getattr(who, "full_name", who))

    return name


def _hours(value: float) -> str:
    number = f"{value:.2f}".rstrip("0").rstrip(".")
    return _("%(number)s h") % {"number": number}


def _ids(params: Mapping[str, Any], name: Callable[[str], str]) -> str:
    shown = ", ".join(name(pid) for pid in params["ids"])
    if params.get("more"):
        return _("%(names)s and %(count)s more") % {"names": shown, "count": params["more"]}
    return shown


# Translated when shown, and only the one shown (a score reason names five components).
_METHODS = {
    "optimal": pgettext_lazy("assignment method", "optimal"),
    "greedy": pgettext_lazy("assignment method", "greedy"),
    "gale-shapley": pgettext_lazy("assignment method", "stable"),
}
_COMPONENTS = {
    "expertise": pgettext_lazy("score component", "expertise"),
    "goals": pgettext_lazy("score component", "goals"),
    "language": pgettext_lazy("score component", "language"),
    "overlap": pgettext_lazy("score component", "overlap"),
    "gap": pgettext_lazy("score component", "gap"),
}


def _method(params: Mapping[str, Any]) -> str:
    return str(_METHODS.get(params["method"], params["method"]))


def _component(key: str) -> str:
    return str(_COMPONENTS.get(key, key))


def _need(need: Mapping[str, Any]) -> str:
    if "level" in need:
        text = _("%(topic)s %(level)s/3") % {"topic": need["topic"], "level": need["level"]}
    else:
        text = need["topic"]
    return _("%(need)s (from challenges)") % {"need": text} if need["from_challenges"] else text


def _shared_language(p: Mapping[str, Any], name: Callable[[str], str]) -> str:
    text = _("both speak %(language)s (%(experienced)s/3 and %(learning)s/3)") % {
        "language": language_name(p["language"]),
        "experienced": p["experienced_level"],
        "learning": p["learning_level"],
    }
    if p.get("also"):
        also = ", ".join(language_name(c) for c in p["also"])
        text = _("%(text)s; also %(languages)s") % {"text": text, "languages": also}
    return text


def _needs(p: Mapping[str, Any], name: Callable[[str], str]) -> str:
    text = _("covers %(covered)s of %(total)s needs") % {
        "covered": len(p["covered"]),
        "total": p["total"],
    }
    if p["covered"]:
        text = _("%(text)s: %(needs)s") % {
            "text": text,
            "needs": ", ".join(_need(n) for n in p["covered"]),
        }
    if p["missing"]:
        text = _("%(text)s; not covered: %(needs)s") % {
            "text": text,
            "needs": ", ".join(_need(n) for n in p["missing"]),
        }
    return text


def _no_language_match(p: Mapping[str, Any], name: Callable[[str], str]) -> str:
    if p["side"] != "experienced":
        return _(
            "no shared language (at least level %(level)s of 3 on both sides) with any learning "
            "lead from another organisation"
        ) % {"level": p["min_level"]}
    spoken = ", ".join(
        _("%(language)s %(level)s/3") % {"language": language_name(c), "level": v}
        for c, v in p.get("spoken", [])
    )
    return _(
        "no shared language (at least level %(level)s of 3 on both sides) with any experienced "
        "lead from another organisation (speaks: %(spoken)s)"
    ) % {"level": p["min_level"], "spoken": spoken or _("none given")}


def _too_little_overlap(p: Mapping[str, Any], name: Callable[[str], str]) -> str:
    if p["side"] == "experienced":
        return ngettext(
            "shares a language with %(count)s experienced lead from another organisation, but "
            "they do not have %(hours)s/week availability overlap in every week of the period "
            "(best: %(best_hours)s with %(best)s)",
            "shares a language with %(count)s experienced leads from other organisations, but "
            "none has at least %(hours)s/week availability overlap in every week of the period "
            "(best: %(best_hours)s with %(best)s)",
            p["candidates"],
        ) % {
            "count": p["candidates"],
            "hours": _hours(p["min_hours"]),
            "best_hours": _hours(p["best_hours"]),
            "best": name(p["best"]),
        }
    return ngettext(
        "shares a language with %(count)s learning lead, who does not have "
        "%(hours)s/week availability overlap in every week",
        "shares a language with %(count)s learning leads, but none has at least "
        "%(hours)s/week availability overlap in every week",
        p["candidates"],
    ) % {"count": p["candidates"], "hours": _hours(p["min_hours"])}


def _candidates_full(p: Mapping[str, Any], name: Callable[[str], str]) -> str:
    parts = [
        what % {"count": n}
        for n, what in (
            (
                p["fixed"],
                ngettext(
                    "%(count)s pinned or kept pair", "%(count)s pinned or kept pairs", p["fixed"]
                ),
            ),
            (
                p["gap"],
                ngettext(
                    "%(count)s GAP-region learning lead",
                    "%(count)s GAP-region learning leads",
                    p["gap"],
                ),
            ),
            (
                p["higher_score"],
                ngettext(
                    "%(count)s pair with a higher total score",
                    "%(count)s pairs with a higher total score",
                    p["higher_score"],
                ),
            ),
        )
        if n
    ]
    return ngettext(
        "the %(count)s compatible experienced lead (%(names)s) is at full capacity in the "
        "%(method)s assignment; their places went to %(parts)s",
        "all %(count)s compatible experienced leads (%(names)s) are at full capacity in the "
        "%(method)s assignment; their places went to %(parts)s",
        p["count"],
    ) % {
        "count": p["count"],
        "names": _ids(p, name),
        "method": _method(p),
        "parts": _(" and ").join(parts),
    }


def _side(p: Mapping[str, Any], experienced: str, learning: str) -> str:
    return experienced if p["side"] == "experienced" else learning


_SENTENCES: dict[str, Callable[[Mapping[str, Any], Callable[[str], str]], str]] = {
    # pair reasons
    "pinned": lambda p, n: _("pinned by programme staff"),
    "kept": lambda p, n: _("existing pair kept (re-matching)"),
    "swapped": lambda p, n: _("swapped by programme staff"),
    "warning_same_organisation": lambda p, n: (
        _("warning: same organisation (%(organization)s)") % {"organization": p["organization"]}
    ),
    "warning_low_overlap": lambda p, n: (
        _("warning: overlap below the minimum of %(hours)s/week")
        % {"hours": _hours(p["min_hours"])}
    ),
    "gap_priority": lambda p, n: _("GAP-region learning lead (prioritised)"),
    "no_shared_language": lambda p, n: (
        _("no shared language at level %(level)s of 3 or better") % {"level": p["min_level"]}
    ),
    "shared_language": _shared_language,
    "overlap": lambda p, n: _("%(hours)s/week overlap") % {"hours": _hours(p["hours"])},
    "overlap_dst": lambda p, n: (
        _(
            "%(hours)s/week overlap in the tightest weeks (first: week of %(week)s), up to "
            "%(max_hours)s in others (daylight saving time)"
        )
        % {
            "hours": _hours(p["min_hours"]),
            "week": p["week"],
            "max_hours": _hours(p["max_hours"]),
        }
    ),
    "needs_unstated": lambda p, n: (
        _("no needs stated; the lead's average expertise is %(average)s/3 across topics")
        % {"average": f"{p['average']:.1f}"}
    ),
    "needs": _needs,
    "experience_gap": lambda p, n: (
        _("experience gap: ahead by %(levels)s levels on average on the needed topics")
        % {"levels": f"{p['ahead']:.1f}"}
    ),
    "no_experience_gap": lambda p, n: _("no experience gap on the needed topics"),
    "goals": lambda p, n: (
        _("goal similarity %(similarity)s (shared terms: %(terms)s)")
        % {"similarity": f"{p['similarity']:.2f}", "terms": ", ".join(p["terms"])}
    ),
    "no_shared_terms": lambda p, n: _("no shared terms in goals and challenges"),
    "score": lambda p, n: (
        _("score %(score)s = %(parts)s")
        % {
            "score": f"{p['score']:.3f}",
            "parts": ", ".join(f"{_component(k)} {v:.3f}" for k, v in p["parts"]),
        }
    ),
    LEGACY: lambda p, n: p["text"],
    # why unmatched
    "no_candidates": lambda p, n: _side(
        p,
        _("there are no experienced leads in this input"),
        _("there are no learning leads in this input"),
    ),
    "no_capacity": lambda p, n: _("capacity is 0"),
    "all_same_organisation": lambda p, n: (
        _side(
            p,
            _("every experienced lead is from the same organisation (%(organization)s)"),
            _("every learning lead is from the same organisation (%(organization)s)"),
        )
        % {"organization": p["organization"]}
    ),
    "no_language_match": _no_language_match,
    "no_availability": lambda p, n: _("no availability windows given"),
    "too_little_overlap": _too_little_overlap,
    "only_forbidden": lambda p, n: (
        _side(
            p,
            _("the only compatible experienced leads are forbidden pairs: %(names)s"),
            _("the only compatible learning leads are forbidden pairs: %(names)s"),
        )
        % {"names": _ids(p, n)}
    ),
    "candidates_without_capacity": lambda p, n: (
        _("the compatible experienced leads (%(names)s) have capacity 0") % {"names": _ids(p, n)}
    ),
    "candidates_full": _candidates_full,
    "candidates_taken": lambda p, n: (
        ngettext(
            "the %(count)s compatible learning lead (%(names)s) is matched to another "
            "experienced lead in the %(method)s assignment",
            "all %(count)s compatible learning leads (%(names)s) are matched to other "
            "experienced leads in the %(method)s assignment",
            p["count"],
        )
        % {"count": p["count"], "names": _ids(p, n), "method": _method(p)}
    ),
}


def render(item: Reason | str, people: People = None) -> str:
    """One reason (or ``why``) as a sentence in the active language, ids shown as names."""
    if isinstance(item, str):
        return item
    code, params = item.get("code", ""), item.get("params") or {}
    sentence = _SENTENCES.get(code)
    if sentence is None:
        return code
    return sentence(params, _name(people))


def as_data(item: Reason | str, people: People = None) -> dict[str, Any]:
    """``{"code", "params", "text"}``: a reason for export, its text in the active language."""
    if isinstance(item, str):
        item = {"code": LEGACY, "params": {"text": item}}
    return {"code": item["code"], "params": item.get("params") or {}, "text": render(item, people)}


# --- What participants read ------------------------------------------------------------------

#: Pair reasons that mean the programme team chose the pair (a pin, a swap).
CHOSEN_BY_STAFF = ("pinned", "swapped")


def for_participant(
    reasons: list[Reason | str],
    *,
    experienced: bool,
    partner: str,
    topics: Mapping[str, str] | None = None,
) -> list[str]:
    """A few plain, positive sentences on why a participant has their partner.

    Staff read every reason with its numbers (:func:`render`); a participant reads what the
    partner brings for their needs (topics by their vocabulary ``topics`` names, slug →
    name), the languages they share, the hours they are both available, and whether the
    programme team chose the pair. No scores, codes, slugs or unmet constraints."""
    topics = topics or {}
    by_code = {r["code"]: r.get("params") or {} for r in reasons if isinstance(r, dict)}
    out: list[str] = []
    if any(code in by_code for code in CHOSEN_BY_STAFF):
        out.append(_("The programme team chose this partnership for you."))
    covered = [topics.get(n["topic"]) for n in by_code.get("needs", {}).get("covered", [])]
    if covered := [name for name in covered if name]:
        text = "; ".join(covered)
        if experienced:
            out.append(
                _("%(partner)s is looking for help with %(topics)s, where you have experience.")
                % {"partner": partner, "topics": text}
            )
        else:
            out.append(
                _("%(partner)s has experience in what you asked for help with: %(topics)s.")
                % {"partner": partner, "topics": text}
            )
    if (language := by_code.get("shared_language")) is not None:
        names = [language_name(c) for c in (language["language"], *language.get("also", []))]
        out.append(_("You both speak %(languages)s.") % {"languages": ", ".join(names)})
    overlap = by_code.get("overlap", {}).get("hours")
    if overlap is None:
        overlap = by_code.get("overlap_dst", {}).get("min_hours")
    if overlap:
        count = max(1, round(overlap))
        out.append(
            ngettext(
                "You are both available for about %(hours)s hour a week.",
                "You are both available for about %(hours)s hours a week.",
                count,
            )
            % {"hours": count}
        )
    if "goals" in by_code:
        out.append(_("Your goals and challenges have things in common."))
    if not out:
        out.append(_("The programme team paired you with %(partner)s.") % {"partner": partner})
    return out
