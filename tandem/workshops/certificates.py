"""Certificates of attendance: one A4 landscape page per attendee, as a PDF (fpdf2).

A certificate names the attendee (their name as on their profile), the workshop, the session's
date *in the attendee's own zone* (a session on Monday 23:00 UTC is a Tuesday certificate for
someone in Nairobi), its length in hours, the cohort and the programme, and a verification id
that Tandem can check (:func:`verify`): ``W<registration>-<10 hex digits of an HMAC>``, with the
address of the public page where anyone checks it (:func:`verification_address`).

Names are written in a Unicode TrueType font (DejaVu Sans, found in the usual system places), so
"Zoë Ñúñez" or "Miłosz Śmieszek" print as written; a CJK font found on the machine (Noto CJK,
WenQuanYi, Droid Sans Fallback …) is added as a fallback for "李明". Without DejaVu the
certificate falls back to PDF's built-in Helvetica, writing each character it cannot encode as
its closest Latin-1 form or "?" — a certificate is never refused for a name.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF

from tandem.core.timezones import local_date, person_zone

from .models import Registration

log = logging.getLogger(__name__)

FONT_DIRS = [
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path("/Library/Fonts"),
    Path("/System/Library/Fonts"),
    Path.home() / ".fonts",
]
#: (regular, bold) file names of the main font, first found wins.
MAIN_FONTS = [("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")]
#: Fallback fonts for scripts DejaVu lacks (CJK), first found wins.
FALLBACK_FONTS = [
    "NotoSansCJK-Regular.ttc",
    "NotoSansCJKsc-Regular.otf",
    "NotoSansSC-Regular.ttf",
    "wqy-microhei.ttc",
    "wqy-zenhei.ttc",
    "DroidSansFallbackFull.ttf",
    "DroidSansFallback.ttf",
]


@cache
def _find(name: str) -> Path | None:
    for folder in FONT_DIRS:
        if folder.is_dir():
            for found in folder.rglob(name):
                return found
    return None


def main_font() -> tuple[Path, Path] | None:
    for regular, bold in MAIN_FONTS:
        a, b = _find(regular), _find(bold)
        if a and b:
            return a, b
    return None


def fallback_font() -> Path | None:
    for name in FALLBACK_FONTS:
        if found := _find(name):
            return found
    return None


# --- What a certificate says -------------------------------------------------------------------


@dataclass(frozen=True)
class Certificate:
    name: str
    workshop: str
    session: str
    date: dt.date
    minutes: int
    cohort: str
    programme: str
    facilitators: tuple[str, ...]
    verification: str

    @property
    def hours(self) -> str:
        """``1.5`` for 90 minutes, ``2`` for 120 (localised decimal separator)."""
        hours = self.minutes / 60
        text = formats.number_format(round(hours, 2), decimal_pos=2)
        sep = formats.get_format("DECIMAL_SEPARATOR")
        return text.rstrip("0").rstrip(sep) if sep in text else text


def _signature(registration_pk: int) -> str:
    key = settings.SECRET_KEY.encode()
    message = f"workshop-certificate:{registration_pk}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:10]


CODE = re.compile(r"W([0-9]{1,18})-([0-9a-fA-F]{10})")


def verification_id(registration: Registration) -> str:
    return f"W{registration.pk}-{_signature(registration.pk)}"


def verify(code: str) -> Registration | None:
    """The attended registration a verification id names, or ``None`` for a forged or unknown
    id (or one whose attendance was taken back)."""
    match = CODE.fullmatch((code or "").strip())
    if match is None:  # ASCII digits only ("²".isdigit() is true but int("²") fails)
        return None
    pk, signature = int(match[1]), match[2].lower()
    if not hmac.compare_digest(signature, _signature(pk)):
        return None
    return (
        Registration.objects.select_related("session__workshop__cohort", "person")
        .filter(pk=pk, attended=True)
        .first()
    )


def verification_address(code: str) -> str:
    """The public page that checks ``code`` (printed on the certificate)."""
    return settings.TANDEM_BASE_URL + reverse("certificates:verified", args=[code])


def certificate_of(registration: Registration, facilitators: Iterable[str] = ()) -> Certificate:
    """The facts on ``registration``'s certificate (its session, workshop, cohort and person
    loaded with it)."""
    session = registration.session
    workshop = session.workshop
    person = registration.person
    return Certificate(
        name=person.name or person.email,
        workshop=workshop.title,
        session=session.label,
        date=local_date(session.starts_at, person_zone(person)),
        minutes=session.duration_minutes,
        cohort=workshop.cohort.name,
        programme=settings.TANDEM_PROGRAM_NAME,
        facilitators=tuple(facilitators),
        verification=verification_id(registration),
    )


# --- The PDF -------------------------------------------------------------------------------------


def _latin1(text: str) -> str:
    """``text`` in characters Helvetica can write: each other character as its decomposed base
    letter when that is Latin-1 (``ł`` stays ``?``, ``Ś`` becomes ``S``), else ``?``."""
    out = []
    for char in text:
        try:
            char.encode("latin-1")
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        base = unicodedata.normalize("NFKD", char)[:1]
        try:
            base.encode("latin-1")
            out.append(base if base.strip() else "?")
        except UnicodeEncodeError:
            out.append("?")
    return "".join(out)


class _Document:
    """An fpdf2 document with Tandem's fonts loaded once, for any number of pages."""

    def __init__(self) -> None:
        self.pdf = FPDF(orientation="landscape", unit="mm", format="A4")
        self.pdf.set_auto_page_break(False)
        self.pdf.set_title(_("Certificate of attendance"))
        self.pdf.set_creator("Tandem")
        self.unicode = False
        fonts = main_font()
        if fonts:
            try:
                self.pdf.add_font("main", "", str(fonts[0]))
                self.pdf.add_font("main", "B", str(fonts[1]))
                self.unicode = True
            except Exception:  # a broken font file: write with Helvetica instead
                log.warning("Certificate font %s could not be loaded", fonts[0], exc_info=True)
        if self.unicode and (extra := fallback_font()):
            try:
                self.pdf.add_font("fallback", "", str(extra))
                self.pdf.set_fallback_fonts(["fallback"], exact_match=False)
            except Exception:
                log.warning("Fallback font %s could not be loaded", extra, exc_info=True)
        self.family = "main" if self.unicode else "helvetica"

    def text(self, value: str) -> str:
        return value if self.unicode else _latin1(value)

    def line(self, value: str, size: float, *, bold: bool = False, gap: float = 4) -> None:
        pdf = self.pdf
        pdf.set_font(self.family, "B" if bold else "", size)
        pdf.multi_cell(0, size * 0.5, self.text(value), align="C", new_x="LMARGIN", new_y="NEXT")
        pdf.ln(gap)

    def page(self, cert: Certificate) -> None:
        pdf = self.pdf
        pdf.add_page()
        pdf.set_draw_color(40, 80, 140)
        pdf.set_line_width(1.2)
        pdf.rect(10, 10, pdf.w - 20, pdf.h - 20)
        pdf.set_line_width(0.4)
        pdf.rect(14, 14, pdf.w - 28, pdf.h - 28)
        pdf.set_margins(30, 30, 30)
        pdf.set_y(32)
        pdf.set_text_color(40, 80, 140)
        self.line(cert.programme, 14, gap=2)
        self.line(cert.cohort, 12, gap=10)
        pdf.set_text_color(20, 20, 20)
        self.line(_("Certificate of attendance"), 28, bold=True, gap=10)
        self.line(_("This certifies that"), 13)
        self.line(cert.name, 26, bold=True, gap=6)
        self.line(_("attended the training workshop"), 13)
        self.line(cert.workshop, 18, bold=True, gap=6)
        date = formats.date_format(cert.date, "DATE_FORMAT")
        hours = ngettext("%(hours)s hour", "%(hours)s hours", 1 if cert.minutes == 60 else 2)
        details = _("on %(date)s · %(hours)s") % {
            "date": date,
            "hours": hours % {"hours": cert.hours},
        }
        if cert.session:
            details += f" · {cert.session}"
        self.line(details, 13, gap=4)
        if cert.facilitators:
            self.line(
                _("Facilitated by %(names)s") % {"names": ", ".join(cert.facilitators)},
                11,
            )
        pdf.set_y(pdf.h - 39)
        pdf.set_text_color(90, 90, 90)
        self.line(
            _("Verification id: %(id)s") % {"id": cert.verification},
            10,
            gap=1,
        )
        self.line(
            _("Anyone may check it at %(address)s")
            % {"address": verification_address(cert.verification)},
            9,
            gap=1,
        )
        self.line(
            _("Issued by Tandem for the %(programme)s.") % {"programme": cert.programme},
            9,
        )

    def output(self) -> bytes:
        return bytes(self.pdf.output())


def render(certificates: Iterable[Certificate], language: str | None = None) -> bytes:
    """One PDF with a page per certificate (the fonts are read once for all of them)."""
    with translation.override(language or translation.get_language()):
        document = _Document()
        pages = 0
        for cert in certificates:
            document.page(cert)
            pages += 1
        if not pages:
            raise ValueError("A certificate PDF needs at least one certificate.")
        return document.output()
