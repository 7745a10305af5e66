"""Issue 21, the basics of accessibility: a "Skip to content" link first on every page, a name for
every form control of the apply form, the pairing form and the decision form (a <label>, or an
aria-label where the table around it says what it is), and badges readable at 4.5:1."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.urls import reverse

from tandem.cohorts.models import Topic
from tests.applications.factories import ApplicationFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]

CSS = Path(__file__).resolve().parents[2] / "tandem" / "static" / "css" / "tandem.css"
#: Controls that need no name of their own (they show their own words, or nothing).
UNNAMED_OK = {"hidden", "submit", "button", "reset", "image"}


class Controls(HTMLParser):
    """The form controls of a page with what names them: the ids that <label for> points at,
    the controls inside a <label>, aria-label and aria-labelledby."""

    def __init__(self):
        super().__init__()
        self.controls: list[tuple[str, dict]] = []
        self.label_for: set[str] = set()
        self.in_label = 0
        self.first_in_body: tuple[str, dict] | None = None
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if self.in_body and self.first_in_body is None:
            self.first_in_body = (tag, attrs)
        if tag == "body":
            self.in_body = True
        elif tag == "label":
            self.in_label += 1
            if attrs.get("for"):
                self.label_for.add(attrs["for"])
        elif tag in ("select", "textarea") or (
            tag == "input" and attrs.get("type", "text") not in UNNAMED_OK
        ):
            self.controls.append((tag, attrs | {"_in_label": bool(self.in_label)}))

    def handle_endtag(self, tag):
        if tag == "label":
            self.in_label = max(0, self.in_label - 1)

    def unnamed(self) -> list[str]:
        return [
            f"<{tag} name={attrs.get('name')!r} id={attrs.get('id')!r}>"
            for tag, attrs in self.controls
            if not (
                attrs["_in_label"]
                or (attrs.get("aria-label") or "").strip()
                or attrs.get("aria-labelledby")
                or attrs.get("id") in self.label_for
            )
        ]


def controls_of(html: str) -> Controls:
    parser = Controls()
    parser.feed(html)
    return parser


def test_the_guard_sees_an_unnamed_select():
    page = controls_of(
        '<body><label for="a">A</label><select id="a"></select>'
        '<label>B <input name="b"></label><input type="hidden" name="h">'
        '<select name="c" aria-label="C"></select><select name="lost" id="lost"></select></body>'
    )
    assert page.unnamed() == ["<select name='lost' id='lost'>"]


def test_skip_to_content_is_the_first_element_of_every_page(client, participant):
    for signed_in in (False, True):
        if signed_in:
            client.force_login(participant)
        page = client.get(reverse("accounts:profile" if signed_in else "home")).content.decode()
        tag, attrs = controls_of(page).first_in_body
        assert (tag, attrs.get("href")) == ("a", "#content")
        assert re.search(r'<a class="skip-link" href="#content">Skip to content</a>', page)
        assert re.search(r'<main [^>]*id="content"', page)


def test_every_control_of_the_apply_form_has_a_name(participant_client, cohort):
    Topic.objects.create(slug="grant-writing-a11y", name="Grant writing")
    page = participant_client.get(reverse("applications:apply", args=[cohort.slug]))
    parsed = controls_of(page.content.decode())
    assert {"lang-0-code", "lang-0-level", "avail-0-day", "avail-0-start", "avail-0-end"} <= {
        attrs.get("name") for _tag, attrs in parsed.controls
    }
    assert parsed.unnamed() == []
    body = page.content.decode()
    assert "Proficiency in language 1" in body and "Window 2: until" in body
    assert 'aria-label="Help I seek: Grant writing"' in body


def test_the_decision_select_has_a_name(coordinator_client, cohort):
    application = ApplicationFactory(cohort=cohort)
    page = coordinator_client.get(application.get_absolute_url()).content.decode()
    parsed = controls_of(page)
    assert "decision" in {attrs.get("name") for _tag, attrs in parsed.controls}
    assert parsed.unnamed() == []


def test_every_control_of_the_pairing_form_has_a_name(coordinator_client, pairing_cohort):
    cohort, _people = pairing_cohort
    page = coordinator_client.get(reverse("partnerships:home", args=[cohort.slug]))
    body = page.content.decode()
    parsed = controls_of(body)
    names = {attrs.get("name") for _tag, attrs in parsed.controls}
    assert {"pin_0_e", "forbid_0_l", "role", "capacity"} <= names
    assert parsed.unnamed() == []
    assert re.search(r"Pinned pair 1: </span>Experienced</label>", body)
    assert re.search(r"Forbidden pair 1: </span>Learning</label>", body)


# --- Contrast ---------------------------------------------------------------------------------

_RULE = re.compile(r"([^{}]*\.badge[^{}]*)\{([^}]*)\}")
_HEX = r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b"


def luminance(hex_colour: str) -> float:
    h = hex_colour if len(hex_colour) == 6 else "".join(c * 2 for c in hex_colour)
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def badge_colours(css: str) -> dict[str, tuple[str, str]]:
    """Each badge rule of the style sheet that sets both its background and its text colour."""
    out = {}
    for selector, body in _RULE.findall(css):
        background = re.search(r"background(?:-color)?\s*:\s*" + _HEX, body)
        colour = re.search(r"(?<![-\w])color\s*:\s*" + _HEX, body)
        if background and colour:
            out[" ".join(selector.split())] = (background.group(1), colour.group(1))
    return out


def test_contrast_is_computed_as_wcag_says():
    assert contrast("000", "fff") == pytest.approx(21)
    assert contrast("777777", "ffffff") == pytest.approx(4.48, abs=0.01)
    assert badge_colours(".badge.x { background: #b8860b; color: #fff; }") == {
        ".badge.x": ("b8860b", "fff")
    }


def test_every_badge_is_readable():
    colours = badge_colours(CSS.read_text())
    assert {".badge.status-waitlisted", ".badge.status-upcoming"} <= set(colours)
    too_faint = {
        selector: round(contrast(background, text), 2)
        for selector, (background, text) in colours.items()
        if contrast(background, text) < 4.5
    }
    assert too_faint == {}
