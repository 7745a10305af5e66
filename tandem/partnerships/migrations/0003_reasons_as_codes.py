"""Stored engine explanations become codes: ``{"code": ..., "params": {...}}``.

Reasons stored before (English sentences in ``Partnership.reasons``, in a run's
``result["pairs"][k]["reasons"]`` and its ``result["unmatched"][k]["why"]``) are kept as
``{"code": "legacy", "params": {"text": sentence}}`` and shown as they are.  An old ``why``
named people by engine id (``a42``), which the run page used to replace by names when it
showed it; that replacement is done here, once, so that old runs read as before.

Backwards, every reason becomes an English sentence again (the engine's English text).
"""

import re

from django.db import migrations

BATCH = 500
_ENGINE_ID = re.compile(r"\ba(\d+)\b")


def _legacy(item, names=None):
    if not isinstance(item, str):
        return item
    if names is not None:
        item = _ENGINE_ID.sub(lambda m: names.get(int(m.group(1)), m.group(0)), item)
    return {"code": "legacy", "params": {"text": item}}


def _english(item):
    from tandem.engines.pairing.reasons import render

    return render(item)


def _convert(apps, one, why_names):
    Partnership = apps.get_model("partnerships", "Partnership")
    MatchRun = apps.get_model("partnerships", "MatchRun")
    Application = apps.get_model("applications", "Application")

    changed = []
    for pair in Partnership.objects.only("pk", "reasons").iterator(chunk_size=BATCH):
        reasons = [one(r) for r in pair.reasons or []]
        if reasons != pair.reasons:
            pair.reasons = reasons
            changed.append(pair)
        if len(changed) >= BATCH:
            Partnership.objects.bulk_update(changed, ["reasons"])
            changed = []
    Partnership.objects.bulk_update(changed, ["reasons"])

    for run in MatchRun.objects.only("pk", "cohort_id", "result").iterator(chunk_size=50):
        result = run.result or {}
        names = None
        if why_names and any(isinstance(u.get("why"), str) for u in result.get("unmatched", [])):
            names = dict(
                Application.objects.filter(cohort_id=run.cohort_id).values_list("pk", "full_name")
            )
        new = {
            **result,
            "pairs": [
                {**p, "reasons": [one(r) for r in p.get("reasons", [])]}
                for p in result.get("pairs", [])
            ],
        }
        if "unmatched" in result:
            new["unmatched"] = [
                {**u, "why": one(u["why"], names) if why_names else one(u["why"])}
                for u in result["unmatched"]
            ]
        if "pairs" not in result:
            del new["pairs"]
        if new != result:
            run.result = new
            run.save(update_fields=["result"])


def forwards(apps, schema_editor):
    _convert(apps, _legacy, why_names=True)


def backwards(apps, schema_editor):
    _convert(apps, _english, why_names=False)


class Migration(migrations.Migration):
    dependencies = [
        ("applications", "0001_initial"),
        ("partnerships", "0002_applications_app"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
