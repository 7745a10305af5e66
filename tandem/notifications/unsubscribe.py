"""Which mails a person can turn off, and how: one-click unsubscribe (RFC 8058) and footers.

A mail of a registered reminder kind (:mod:`tandem.notifications.reminders`) is optional: it
carries ``List-Unsubscribe`` (a signed link, no sign-in needed) and ``List-Unsubscribe-Post``,
and its footer gives the same link. Every other mail is essential (account security, an
application, the person's participation in the program): it carries no such header, and its
footer says why it cannot be turned off."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy

from . import reminders

SALT = "tandem.notifications.unsubscribe"

#: Why an essential mail is sent, by what it concerns (``queue_mail(concerns=…)``).
ESSENTIAL_REASONS = {
    "account": gettext_lazy(
        "You receive this e-mail because it concerns your account and its security; "
        "it cannot be turned off."
    ),
    "application": gettext_lazy(
        "You receive this e-mail because it concerns your application; it cannot be turned off."
    ),
    "program": gettext_lazy(
        "You receive this e-mail because it concerns your participation in the program; "
        "it cannot be turned off."
    ),
}


def token(user_pk: int, kind: str) -> str:
    """The signed token of "turn ``kind`` off for this person" (no expiry: a mail read a year
    later still works, and turning a reminder off is all it can do)."""
    return signing.Signer(salt=SALT).sign_object({"u": user_pk, "k": kind})


def read(value: str) -> tuple[int, str] | None:
    """``(user_pk, kind)`` of a token made by :func:`token`, or ``None`` if it is not one."""
    try:
        data = signing.Signer(salt=SALT).unsign_object(value)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(data, dict) or set(data) != {"u", "k"}:
        return None
    user_pk, kind = data["u"], data["k"]
    if not isinstance(user_pk, int) or not isinstance(kind, str):
        return None
    return user_pk, kind


def url(user_pk: int, kind: str) -> str:
    """The absolute one-click address (``TANDEM_BASE_URL``, never a request's host)."""
    return settings.TANDEM_BASE_URL + reverse(
        "notifications:unsubscribe", args=[token(user_pk, kind)]
    )


#: The digests (:mod:`tandem.notifications.digests`): optional too; turning one off turns off
#: every kind the person receives in it.
DIGEST_KINDS = {
    "digest-daily": gettext_lazy("the reminders in your daily digest"),
    "digest-weekly": gettext_lazy("the reminders in your weekly digest"),
}


def labels() -> dict[str, str]:
    """Every kind a person may turn off, with its label: the reminder kinds and the digests."""
    return {**reminders.kinds(), **DIGEST_KINDS}


def optional(kind: str, kinds: dict[str, str] | None = None) -> bool:
    """Whether a person may turn mails of ``kind`` off (a registered reminder kind, a digest)."""
    return kind in (labels() if kinds is None else kinds) or kind in DIGEST_KINDS


def headers(kind: str, user_pk: int | None) -> dict[str, str]:
    """The RFC 8058 headers of a mail of ``kind`` to the person ``user_pk``: none for an
    essential mail, or one sent to no account."""
    if user_pk is None or not optional(kind):
        return {}
    return {
        "List-Unsubscribe": f"<{url(user_pk, kind)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def footer(
    kind: str, user_pk: int | None, concerns: str = "program", kinds: dict[str, str] | None = None
) -> str:
    """The footer appended to a mail's text, in the active language: for an optional mail the
    unsubscribe link and where to turn it back on; for an essential one, why it cannot be
    turned off (``concerns``: a key of :data:`ESSENTIAL_REASONS`)."""
    kinds = labels() if kinds is None else {**kinds, **DIGEST_KINDS}
    if user_pk is None or not optional(kind, kinds):
        return f"\n\n-- \n{ESSENTIAL_REASONS[concerns]}\n"
    links = {
        "label": kinds[kind],
        "url": url(user_pk, kind),
        "profile": settings.TANDEM_BASE_URL + reverse("accounts:profile"),
    }
    if kind in DIGEST_KINDS:
        text = (
            gettext(
                "You receive this digest because you chose it in your reminder settings.\n"
                "Turn %(label)s off with one click: %(url)s\n"
                "Choose how often you receive each reminder in your profile: %(profile)s"
            )
            % links
        )
    else:
        text = (
            gettext(
                "You receive this e-mail because “%(label)s” is on in your reminder settings.\n"
                "Turn these e-mails off with one click: %(url)s\n"
                "Turn them back on in your profile: %(profile)s"
            )
            % links
        )
    return f"\n\n-- \n{text}\n"
