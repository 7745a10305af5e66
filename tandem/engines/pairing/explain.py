"""Human-readable explanations: why a pair was formed, why someone is unmatched.

A pair's ``reasons`` list follows a fixed order: how it was fixed (pinned / kept), GAP
priority, the shared language, the weekly overlap (with the tightest week when daylight
saving time changes it), the needs covered, the experience gap, goal alignment and finally
the score broken down into its weighted components, so that every number in the score can be
traced.  An unmatched person's ``why`` names the first hard constraint, in the order
organisation -> language -> overlap -> forbidden -> capacity, that leaves them with no
candidate, or else says that all candidates were given to others by the optimum.
"""

from __future__ import annotations

import numpy as np

from tandem.engines.pairing.constraints import MIN_LANGUAGE_LEVEL
from tandem.engines.pairing.model import Participant
from tandem.engines.pairing.score import COMPONENTS, Evaluation
from tandem.engines.pairing.solve import Assignment

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

_MAX_IDS = 5
_METHOD_NAMES = {"optimal": "optimal", "greedy": "greedy", "gale-shapley": "stable"}


def language_name(code: str) -> str:
    return LANGUAGE_NAMES.get(code.split("-")[0].split("_")[0], code)


def hours(value: float) -> str:
    """``6`` -> ``"6 h"``, ``2.5`` -> ``"2.5 h"``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} h"


def _ids(people: list[Participant]) -> str:
    shown = ", ".join(p.id for p in people[:_MAX_IDS])
    return shown + (f" and {len(people) - _MAX_IDS} more" if len(people) > _MAX_IDS else "")


def _language_reason(ev: Evaluation, e: Participant, lrn: Participant, i: int, j: int) -> str:
    level = int(ev.compat.language_level[i, j])
    if level < MIN_LANGUAGE_LEVEL:
        return "no shared language at proficiency >= 2"
    code = ev.compat.languages[int(ev.compat.language_best[i, j])]
    text = f"both speak {language_name(code)} ({e.languages[code]}/3 and {lrn.languages[code]}/3)"
    others = [
        language_name(c)
        for c in sorted(set(e.languages) & set(lrn.languages))
        if c != code and min(e.languages[c], lrn.languages[c]) >= MIN_LANGUAGE_LEVEL
    ]
    return text + (f"; also {', '.join(others)}" if others else "")


def _overlap_reason(ev: Evaluation, i: int, j: int) -> str:
    ov = ev.compat.overlap
    lo, hi = float(ov.min_hours[i, j]), float(ov.max_hours[i, j])
    if hi - lo < 1e-9:
        return f"{hours(lo)}/week overlap"
    week = ov.weeks[int(ov.worst_week[i, j])]
    return (
        f"{hours(lo)}/week overlap in the tightest weeks (first: week of {week.isoformat()}), "
        f"up to {hours(hi)} in others (daylight saving time)"
    )


def _needs_reason(ev: Evaluation, e: Participant, j: int, i: int) -> list[str]:
    t = ev.topics
    if t.defaulted[j]:
        avg = float(t.level_e[i].mean()) if t.names else 0.0
        return [f"no needs stated; the lead's average expertise is {avg:.1f}/3 across topics"]
    idx = np.flatnonzero(t.needs[j])
    covered = [k for k in idx if t.level_e[i, k] >= 2]
    missing = [k for k in idx if t.level_e[i, k] < 2]

    def label(k: int, level: bool = False) -> str:
        text = t.names[k] + (f" {t.level_e[i, k]}/3" if level else "")
        return text + (" (from challenges)" if t.derived[j, k] else "")

    text = f"covers {len(covered)} of {len(idx)} needs"
    if covered:
        text += ": " + ", ".join(label(k, level=True) for k in covered)
    if missing:
        text += "; not covered: " + ", ".join(label(k) for k in missing)
    out = [text]
    diff = t.level_e[i, idx].astype(int) - t.level_l[j, idx].astype(int)
    ahead = float(np.clip(diff, 0, None).mean())
    if ahead > 0:
        out.append(f"experience gap: ahead by {ahead:.1f} levels on average on the needed topics")
    else:
        out.append("no experience gap on the needed topics")
    return out


def pair_reasons(ev: Evaluation, i: int, j: int, kind: str | None = None) -> list[str]:
    """Reasons for pair (experienced ``i``, learning ``j``), most important first."""
    p = ev.problem
    e, lrn = p.experienced[i], p.learning[j]
    c = ev.compat
    out: list[str] = []
    if kind == "pinned":
        out.append("pinned by programme staff")
    elif kind == "kept":
        out.append("existing pair kept (re-matching)")
    if kind and not c.feasible[i, j]:
        if not c.org_ok[i, j]:
            out.append(f"warning: same organisation ({e.organization})")
        if not c.overlap_ok[i, j]:
            out.append(
                f"warning: overlap below the minimum of {hours(p.settings.min_overlap_hours)}/week"
            )
    if lrn.gap:
        out.append("GAP-region learning lead (prioritised)")
    out.append(_language_reason(ev, e, lrn, i, j))
    out.append(_overlap_reason(ev, i, j))
    out.extend(_needs_reason(ev, e, j, i))
    goals = float(ev.components["goals"][i, j])
    if goals > 0:
        terms = ev.text.shared_terms(i, j)
        out.append(f"goal similarity {goals:.2f} (shared terms: {', '.join(terms)})")
    else:
        out.append("no shared terms in goals and challenges")
    w = p.settings.weights
    parts = ", ".join(f"{k} {w[k] * float(ev.components[k][i, j]):.3f}" for k in COMPONENTS)
    out.append(f"score {float(ev.score[i, j]):.3f} = {parts}")
    return out


def _learning_why(ev: Evaluation, j: int, assignment: Assignment) -> str:
    p, c = ev.problem, ev.compat
    lrn = p.learning[j]
    setting = p.settings.min_overlap_hours
    if not p.experienced:
        return "there are no experienced leads in this input"
    stage = c.org_ok[:, j]
    if not stage.any():
        return f"every experienced lead is from the same organisation ({lrn.organization})"
    stage2 = stage & c.language_ok[:, j]
    if not stage2.any():
        spoken = ", ".join(f"{language_name(k)} {v}/3" for k, v in sorted(lrn.languages.items()))
        return (
            "no shared language (proficiency >= 2 on both sides) with any experienced lead "
            f"from another organisation (speaks: {spoken or 'none given'})"
        )
    stage3 = stage2 & c.overlap_ok[:, j]
    if not stage3.any():
        if not lrn.availability.windows:
            return "no availability windows given"
        ov = np.where(stage2, c.overlap.min_hours[:, j], -1.0)
        best = int(np.argmax(ov))
        return (
            f"shares a language with {int(stage2.sum())} experienced lead(s) from other "
            f"organisations, but none has at least {hours(setting)}/week availability overlap "
            f"in every week of the period (best: {hours(float(ov[best]))} with "
            f"{p.experienced[best].id})"
        )
    stage4 = stage3 & c.allowed[:, j]
    if not stage4.any():
        ids = [p.experienced[i] for i in np.flatnonzero(stage3)]
        return f"the only compatible experienced leads are forbidden pairs: {_ids(ids)}"
    total = np.array([e.capacity for e in p.experienced], dtype=np.int64)
    with_cap = stage4 & (total > 0)
    if not with_cap.any():
        ids = [p.experienced[i] for i in np.flatnonzero(stage4)]
        return f"the compatible experienced leads ({_ids(ids)}) have capacity 0"
    ids = [p.experienced[i] for i in np.flatnonzero(with_cap)]
    taken = [(i, jj) for i, jj in assignment.pairs if with_cap[i]]
    n_fixed = sum(1 for pair in taken if pair in assignment.fixed)
    n_gap = sum(1 for pair in taken if pair not in assignment.fixed and p.learning[pair[1]].gap)
    n_other = len(taken) - n_fixed - n_gap
    parts = [
        f"{n} {what}"
        for n, what in (
            (n_fixed, "pinned/kept pair(s)"),
            (n_gap, "GAP-region learning lead(s)"),
            (n_other, "pair(s) with a higher total score"),
        )
        if n
    ]
    return (
        f"all {len(ids)} compatible experienced lead(s) ({_ids(ids)}) are at full capacity in "
        f"the {_METHOD_NAMES.get(assignment.method, assignment.method)} assignment; their "
        f"places went to {' and '.join(parts)}"
    )


def _experienced_why(ev: Evaluation, i: int, assignment: Assignment) -> str:
    p, c = ev.problem, ev.compat
    e = p.experienced[i]
    if e.capacity == 0:
        return "capacity is 0"
    if not p.learning:
        return "there are no learning leads in this input"
    stage = c.org_ok[i]
    if not stage.any():
        return f"every learning lead is from the same organisation ({e.organization})"
    stage2 = stage & c.language_ok[i]
    if not stage2.any():
        return (
            "no shared language (proficiency >= 2 on both sides) with any learning lead from "
            "another organisation"
        )
    stage3 = stage2 & c.overlap_ok[i]
    if not stage3.any():
        if not e.availability.windows:
            return "no availability windows given"
        return (
            f"shares a language with {int(stage2.sum())} learning lead(s), but none has at least "
            f"{hours(p.settings.min_overlap_hours)}/week availability overlap in every week"
        )
    stage4 = stage3 & c.allowed[i]
    if not stage4.any():
        ids = [p.learning[j] for j in np.flatnonzero(stage3)]
        return f"the only compatible learning leads are forbidden pairs: {_ids(ids)}"
    ids = [p.learning[j] for j in np.flatnonzero(stage4)]
    return (
        f"all {len(ids)} compatible learning lead(s) ({_ids(ids)}) are matched to other "
        f"experienced leads in the {_METHOD_NAMES.get(assignment.method, assignment.method)} "
        "assignment"
    )


def unmatched(ev: Evaluation, assignment: Assignment) -> list[dict[str, str]]:
    """``[{"id": ..., "why": ...}]`` for learning leads without a partner and experienced
    leads without any partner (learning leads first, each side sorted by id)."""
    p = ev.problem
    n, m = len(p.experienced), len(p.learning)
    load = np.zeros(n, dtype=np.int64)
    matched_l = np.zeros(m, dtype=bool)
    for i, j in assignment.pairs:
        load[i] += 1
        matched_l[j] = True
    out = [
        {"id": p.learning[j].id, "why": _learning_why(ev, j, assignment)}
        for j in range(m)
        if not matched_l[j]
    ]
    out += [
        {"id": p.experienced[i].id, "why": _experienced_why(ev, i, assignment)}
        for i in range(n)
        if load[i] == 0
    ]
    return out
