"""Throttles: who the client is, and how many e-mails one address or one client may cause.

Sign-in lockout is django-axes (settings ``AXES_*``); this module gives it the client address
(:func:`client_ip`) and the normalised account name (:func:`login_username`).

E-mail throttles (:func:`limit`) count events per *scope* (``"password-reset"``,
``"application-confirmation"``) in the database, per recipient address and per client, with the
limits of ``settings.TANDEM_THROTTLES``. Counting in the database (not a per-process cache)
makes the limit hold across all server processes. Addresses and client addresses are stored
only as keyed hashes.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import math

from axes.helpers import get_cool_off, get_failure_limit
from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import ThrottleEvent

_current_client: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "tandem_client", default=None
)


def client_ip(request) -> str:
    """The client's IP address: ``REMOTE_ADDR``, or, behind ``TANDEM_TRUSTED_PROXY_COUNT``
    reverse proxies, the ``X-Forwarded-For`` entry the outermost trusted proxy appended (the
    entries left of it are whatever the client sent, so they are never trusted)."""
    remote = request.META.get("REMOTE_ADDR", "") or ""
    proxies = getattr(settings, "TANDEM_TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if forwarded:
            return forwarded[-min(proxies, len(forwarded))]
    return remote


def login_username(request, credentials) -> str | None:
    """The account an attempt is for, as sign-in compares it (e-mails are stored lower case)."""
    username = (credentials or {}).get(settings.AXES_USERNAME_FORM_FIELD)
    if username is None:
        username = request.POST.get(settings.AXES_USERNAME_FORM_FIELD) if request else None
    return username.strip().lower() if isinstance(username, str) else username


def lockout_response(request, original_response=None, credentials=None):
    """django-axes' answer to a locked-out sign-in: a page saying why and for how long (429)."""
    cool_off = get_cool_off(request) or dt.timedelta()
    return render(
        request,
        "accounts/locked_out.html",
        {
            "failure_limit": get_failure_limit(request, credentials),
            "minutes": max(1, math.ceil(cool_off.total_seconds() / 60)),
        },
        status=429,
    )


class ClientMiddleware:
    """Remember the requesting client for the request, so that services that send e-mail on a
    person's behalf (an application confirmation) can count it per client."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _current_client.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _current_client.reset(token)


def current_client() -> str | None:
    """The client address of the request being handled (``None`` outside a request)."""
    return _current_client.get()


class Throttled(Exception):  # noqa: N818 (a refusal, not a programming error)
    """Too many events of one scope for an address or a client."""

    def __init__(self, scope: str, retry_after: dt.timedelta):
        self.scope = scope
        self.retry_after = retry_after
        self.minutes = max(1, math.ceil(retry_after.total_seconds() / 60))
        super().__init__(f"{scope}: try again in {self.minutes} min")


def _digest(scope: str, kind: str, value: str) -> str:
    return salted_hmac(f"tandem.throttle.{scope}.{kind}", value, algorithm="sha256").hexdigest()


def limit(
    scope: str,
    *,
    address: str | None = None,
    client: str | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Count one event of ``scope`` for ``address`` and ``client``, or raise :class:`Throttled`
    (counting nothing) when either is at its limit (``settings.TANDEM_THROTTLES[scope]``).

    A refused event is not counted, so asking again and again does not extend the wait."""
    now = now or timezone.now()
    config = settings.TANDEM_THROTTLES.get(scope, {})
    keys = []
    for kind, value in (("address", address), ("client", client)):
        if not value or kind not in config:
            continue
        count, seconds = config[kind]
        key = _digest(scope, kind, value.strip().lower())
        window = dt.timedelta(seconds=seconds)
        recent = ThrottleEvent.objects.filter(scope=scope, key=key, at__gt=now - window)
        times = list(recent.order_by("-at").values_list("at", flat=True)[:count])
        if len(times) >= count:
            raise Throttled(scope, times[-1] + window - now)
        keys.append(key)
    ThrottleEvent.objects.bulk_create([ThrottleEvent(scope=scope, key=k, at=now) for k in keys])
    longest = max((seconds for _, seconds in config.values()), default=0)
    ThrottleEvent.objects.filter(scope=scope, at__lte=now - dt.timedelta(seconds=longest)).delete()
