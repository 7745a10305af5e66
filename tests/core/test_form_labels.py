"""Staff and participants read labels written for people: never a field's name turned into words
("Checkin cadence months", "Duration minutes"), a lower-case first letter, ``(s)`` or ``>=``."""

import importlib
import inspect
import pkgutil

import pytest
from django import forms
from django.forms.utils import pretty_name

import tandem

pytestmark = pytest.mark.integration


def every_form_field():
    for info in pkgutil.walk_packages(tandem.__path__, "tandem."):
        if not (info.name.endswith(".forms") or ".forms." in info.name):
            continue
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                for field_name, field in cls.base_fields.items():
                    yield f"{info.name}.{name}.{field_name}", field_name, field


#: Field names that read as code when turned into words: a unit or a developer's term in them.
CODE_WORDS = ("slug", "checkin", "_minutes", "_months", "_hours", "_url", "_id", "_count", "_pk")


def label_problems(name: str, label: str, help_text: str) -> list[str]:
    problems = []
    if label == pretty_name(name) and any(word in name for word in CODE_WORDS):
        problems.append(f"{label!r} is the field's name, not a label")
    if label[:1].islower():
        problems.append(f"{label!r} starts in lower case")
    for text in (label, help_text):
        for word in ("(s)", ">=", "<="):
            if word in text:
                problems.append(f"{text!r} shows {word!r}")
    return problems


def test_the_guard_sees_developer_words():
    assert label_problems("checkin_cadence_months", "Checkin cadence months", "")
    assert label_problems("duration_minutes", "Duration minutes", "")
    assert label_problems("slug", "Slug", "")
    assert label_problems("kind", "kind", "")
    assert label_problems("pairs", "Pairs", "2 pair(s)")
    assert not label_problems("checkin_cadence_months", "Months between check-ins", "")


def test_every_form_label_is_written_for_people():
    problems = []
    for where, name, field in every_form_field():
        if field.label is None:
            continue  # shown as the field's own one-word name or not at all (filters)
        problems += [
            f"{where}: {p}" for p in label_problems(name, str(field.label), str(field.help_text))
        ]
    assert not problems, "\n".join(problems)


def test_the_new_cohort_form_reads_as_words(coordinator_client):
    from django.urls import reverse

    body = coordinator_client.get(reverse("cohorts:create")).content.decode()
    for developer_word in ("Slug", "Checkin cadence months", "Target pairs"):
        assert developer_word not in body
    assert "Months between check-ins" in body


def test_the_review_filters_read_as_words(coordinator_client, cohort):
    from django.urls import reverse

    body = coordinator_client.get(reverse("applications:review", args=[cohort.slug])).content
    body = body.decode()
    assert "At least 3" in body
    assert "≥" not in body and "&gt;=" not in body
