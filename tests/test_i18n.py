"""Born translatable: Django's i18n machinery is on, and templates show no text outside gettext.

* :func:`test_templates_show_no_untranslated_text` reads every template under ``tandem/`` and
  fails on visible text outside ``{% translate %}`` / ``{% blocktranslate %}`` (a heuristic: see
  :func:`untranslated_text`). Templates other people are still working on are listed in
  :data:`NOT_YET_TRANSLATED`, with the owner; that list only shrinks.
* The locale middleware is active, and a language whose catalogue exists changes the page: a
  small catalogue is compiled at test time (no ``.mo`` committed, no gettext tools needed).
* When GNU gettext is installed, ``makemessages`` extracts the strings of templates, Python
  code and e-mails (skipped otherwise: CI does not need gettext).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import struct
from array import array
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
TANDEM = ROOT / "tandem"

# --- The guard -------------------------------------------------------------------------------

#: Templates never checked: overrides of Django's admin templates (Django translates those).
EXCLUDED = ("/templates/admin/",)

#: Visible text that is not a sentence of the interface (names, not words to translate).
ALLOWED_WORDS = {"Tandem"}

#: What still shows untranslated text, by path under the repository (a path ending in "/" is a
#: folder), with the text still allowed there (``None``: any). Remove an entry once its owner has
#: wrapped it: the test fails on an entry whose file is gone or whose listed text is no longer
#: there, so the list only shrinks. New templates are born translatable: never add one here.
NOT_YET_TRANSLATED: dict[str, set[str] | None] = {}

_COMMENT = re.compile(r"{%\s*comment\b.*?%}.*?{%\s*endcomment\s*%}|{#.*?#}|<!--.*?-->", re.S)
_BLOCKTRANSLATE = re.compile(
    r"{%\s*blocktrans(?:late)?\b.*?%}.*?{%\s*endblocktrans(?:late)?\s*%}", re.S
)
# A literal shown by a filter in {{ }}: {{ x|default:"nothing yet" }} is visible text too.
_FILTER_TEXT = re.compile(r"\|(?:default|default_if_none|yesno):(?:\"([^\"]*)\"|'([^']*)')")
_VARIABLE = re.compile(r"{{.*?}}", re.S)
_TAG = re.compile(r"{%.*?%}", re.S)
_SCRIPT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.S | re.I)
# Attributes a person reads (or hears): their values are checked like text.
_SHOWN_ATTRIBUTE = re.compile(
    r"\s(?:title|placeholder|alt|aria-label|data-confirm)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.I
)
_HTML_TAG = re.compile(r"<[^>]*>")
_ENTITY = re.compile(r"&#?\w+;")
_LETTER = re.compile(r"[^\W\d_]")


def _is_text(fragment: str) -> bool:
    words = [w for w in re.split(r"[\s\W\d_]+", fragment) if w]
    return bool(_LETTER.search(fragment)) and any(w not in ALLOWED_WORDS for w in words)


def untranslated_text(source: str) -> list[str]:
    """The fragments of visible text in a template's ``source`` that are not inside translate
    tags: text nodes, shown attributes and filter defaults. Punctuation, numbers, symbols,
    entities and :data:`ALLOWED_WORDS` are not text."""
    source = _COMMENT.sub(" ", source)
    source = _BLOCKTRANSLATE.sub(" ", source)
    found = [a or b for a, b in _FILTER_TEXT.findall(source)]
    source = _VARIABLE.sub(" ", source)
    source = _TAG.sub(" ", source)  # {% translate "…" %} included
    source = _SCRIPT.sub(" ", source)
    found += [a or b for a, b in _SHOWN_ATTRIBUTE.findall(source)]
    source = _ENTITY.sub(" ", _HTML_TAG.sub("\n", source))
    found += re.split(r"\n|\s{2,}", source)
    return [" ".join(f.split()) for f in found if _is_text(f)]


def _templates() -> list[Path]:
    return sorted(
        path
        for pattern in ("*/templates/**/*.html", "*/templates/**/*.txt", "templates/**/*")
        for path in TANDEM.glob(pattern)
        if path.is_file() and not any(part in path.as_posix() for part in EXCLUDED)
    )


def _allowance(relative: str) -> tuple[str | None, set[str] | None]:
    """The entry of :data:`NOT_YET_TRANSLATED` covering a template, and what it allows."""
    for key, allowed in NOT_YET_TRANSLATED.items():
        if relative == key or (key.endswith("/") and relative.startswith(key)):
            return key, allowed
    return None, set()


def test_the_guard_sees_text_and_ignores_what_is_translated():
    source = """{% load i18n %}{% block title %}{% translate "Sign in" %}{% endblock %}
    {# a comment #}<h1 title="Tip">{{ cohort.name }} ·
    {% blocktranslate %}Hi {{ n }}{% endblocktranslate %}</h1>
    <p>{{ x|default:"nothing yet" }} {{ d|date:"j M Y" }} — 3/5 &nbsp; Tandem</p>
    <td>Draft</td>{% comment %}Not shown{% endcomment %}<!-- nor this -->"""
    assert untranslated_text(source) == ["nothing yet", "Tip", "Draft"]


def test_templates_show_no_untranslated_text():
    templates = _templates()
    assert len(templates) > 30, "templates not found: the guard would check nothing"
    problems, used = [], set()
    for path in templates:
        relative = path.relative_to(ROOT).as_posix()
        key, allowed = _allowance(relative)
        text = untranslated_text(path.read_text(encoding="utf-8"))
        if key is not None:
            used.add(key)
        if allowed is None:
            if key == relative and not text:
                problems.append(f"{relative} is translated now; remove it from the list")
            continue
        left = [t for t in text if t not in allowed]
        if left:
            problems.append(f"{relative}: {left}")
        for gone in allowed - set(text):
            problems.append(f"{relative}: {gone!r} is translated now; remove it from the list")
    for key in NOT_YET_TRANSLATED:
        if not key.endswith("/") and key not in used:
            problems.append(f"{key} no longer exists; remove it from NOT_YET_TRANSLATED")
    assert not problems, (
        "Visible text outside {% translate %} / {% blocktranslate %} (load i18n):\n"
        + "\n".join(problems)
    )


# --- The machinery ---------------------------------------------------------------------------


def test_locale_middleware_is_active_after_sessions_before_common():
    middleware = settings.MIDDLEWARE
    locale = middleware.index("django.middleware.locale.LocaleMiddleware")
    assert middleware.index("django.contrib.sessions.middleware.SessionMiddleware") < locale
    assert locale < middleware.index("django.middleware.common.CommonMiddleware")
    assert settings.USE_I18N
    assert [code for code, _name in settings.LANGUAGES][0] == settings.LANGUAGE_CODE == "en"
    assert Path(settings.LOCALE_PATHS[0]) == TANDEM / "locale"


def write_mo(path: Path, catalog: dict[str, str]) -> None:
    """A compiled gettext catalogue (the format of GNU ``msgfmt``, as Python's own
    Tools/i18n/msgfmt.py writes it), so the test needs no gettext tools."""
    catalog = {
        "": "Content-Type: text/plain; charset=UTF-8\nPlural-Forms: nplurals=2; plural=(n != 1);\n",
        **catalog,
    }
    keys = sorted(catalog)
    ids = strs = b""
    offsets = []
    for key in keys:
        k, v = key.encode(), catalog[key].encode()
        offsets.append((len(ids), len(k), len(strs), len(v)))
        ids += k + b"\0"
        strs += v + b"\0"
    start_ids = 7 * 4 + 16 * len(keys)
    start_strs = start_ids + len(ids)
    table = []
    for id_at, id_len, _s, _l in offsets:
        table += [id_len, id_at + start_ids]
    for _i, _l, str_at, str_len in offsets:
        table += [str_len, str_at + start_strs]
    header = struct.pack("Iiiiiii", 0x950412DE, 0, len(keys), 7 * 4, 7 * 4 + len(keys) * 8, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(header + array("i", table).tobytes() + ids + strs)


ESPERANTO = {
    "Sign in": "Ensaluti",
    "Forgot your password?": "Ĉu vi forgesis vian pasvorton?",
    "E-mail": "Retpoŝto",  # a form label (gettext_lazy in Python)
    "Times are shown in %(zone)s.": "Horoj estas montrataj en %(zone)s.",  # blocktranslate
    "Dear %(name)s,": "Kara %(name)s,",  # e-mails
    "The program team — %(contact_email)s": "La programa teamo — %(contact_email)s",
}


@pytest.fixture
def esperanto(tmp_path):
    """Esperanto offered, with a tiny catalogue of our own strings (Django ships its own)."""
    write_mo(tmp_path / "eo" / "LC_MESSAGES" / "django.mo", ESPERANTO)
    languages = [*settings.LANGUAGES, ("eo", "Esperanto")]
    # Changing these settings resets Django's translation caches, on entry and on exit.
    with (
        translation.override(None),
        override_settings(LANGUAGES=languages, LOCALE_PATHS=[tmp_path]),
    ):
        yield


@pytest.mark.django_db
def test_the_browser_language_translates_the_page(client, esperanto):
    english = client.get(reverse("accounts:login")).content.decode()
    assert '<html lang="en">' in english and "Sign in" in english and "Ensaluti" not in english

    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="eo,en;q=0.5")
    page = response.content.decode()
    assert response["Content-Language"] == "eo"
    assert '<html lang="eo">' in page
    assert "<h1>Ensaluti</h1>" in page and "Ĉu vi forgesis vian pasvorton?" in page
    assert "Retpoŝto" in page  # the form's label, translated when rendered
    assert "Horoj estas montrataj en " in page
    assert "Sign in" not in page


@pytest.mark.django_db
def test_a_language_not_offered_falls_back_to_english(client):
    response = client.get(reverse("accounts:login"), HTTP_ACCEPT_LANGUAGE="eo")
    assert response["Content-Language"] == "en"
    assert "<h1>Sign in</h1>" in response.content.decode()


def test_mail_follows_the_active_language(esperanto):
    context = {
        "user": SimpleNamespace(name="Lin"),
        "checkin": SimpleNamespace(round=2, due_date=dt.date(2026, 5, 7)),
        "partners": "Eva",
        "contact_email": "info@example.org",
    }
    english = render_to_string("mail/checkin_due.txt", context)
    assert english.startswith("Dear Lin,\n\nCheck-in 2 with Eva is due by 7 May 2026.")
    assert english.endswith("The program team — info@example.org\n")
    with translation.override("eo"):
        esperanto = render_to_string("mail/checkin_due.txt", context)
    assert esperanto.startswith("Kara Lin,\n\n")
    assert esperanto.endswith("La programa teamo — info@example.org\n")


@pytest.mark.skipif(not shutil.which("xgettext"), reason="GNU gettext is not installed")
def test_makemessages_extracts_templates_python_and_mails(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    with override_settings(LOCALE_PATHS=[tmp_path]):
        call_command(
            "makemessages",
            locale=["eo"],
            # tandem/locale holds the real catalogues: ignored, so this one is written to tmp_path.
            ignore_patterns=["tandem/locale", "tests", "bench", "staticfiles", "test-artifacts"],
            verbosity=0,
        )
    po = (tmp_path / "eo" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert 'msgid "Sign in"' in po  # a template
    assert 'msgid "An account with this e-mail already exists. Sign in instead."' in po  # Python
    assert 'msgid "The program team — %(contact_email)s"' in po  # an e-mail
