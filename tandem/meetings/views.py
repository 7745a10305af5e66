from __future__ import annotations

import datetime as dt

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST
from rules.contrib.views import permission_required

from tandem.cohorts.models import Cohort
from tandem.core.pagination import page_of
from tandem.core.timezones import local_date, person_zone, to_local, utc_offset_label
from tandem.core.urls import ID, url_maker
from tandem.engines.scheduling import SchedulingInputError, find_slots, rotate
from tandem.resources.models import Status as ResourceStatus
from tandem.resources.selectors import visible_to

from . import services
from .forms import FindTimeForm, LogForm, MeetingForm, ProposeForm
from .models import CheckIn, CheckInLog, Meeting

coordinator_only = permission_required("meetings.manage", raise_exception=True)


@login_required
def meeting_list(request, slug):
    cohort = get_object_or_404(Cohort, slug=slug)
    if not request.user.has_perm("meetings.view_cohort_meetings", cohort):
        raise PermissionDenied
    meetings = services.meetings_for(request.user).filter(cohort=cohort)
    return render(request, "meetings/list.html", {"cohort": cohort, "meetings": meetings})


@login_required
def meeting_detail(request, slug, pk):
    meeting = get_object_or_404(Meeting.objects.select_related("cohort"), cohort__slug=slug, pk=pk)
    if not services.can_see_meeting(request.user, meeting):
        raise Http404
    # The guidelines link only for whom the library lets see the resource (its own rules).
    guidelines = (
        visible_to(request.user).filter(pk=meeting.guidelines_id).first()
        if meeting.guidelines_id
        else None
    )
    return render(
        request,
        "meetings/detail.html",
        {"meeting": meeting, "cohort": meeting.cohort, "guidelines": guidelines},
    )


@require_GET
@coordinator_only
def guidelines_search(request, slug):
    """The guidelines picker of the meeting form: ``?guidelines_q=`` lists up to ten published
    library resources the coordinator sees whose title matches; ``?add=<id>`` returns that
    resource as the ticked choice."""
    cohort = get_object_or_404(Cohort, slug=slug)
    candidates = visible_to(request.user).filter(status=ResourceStatus.PUBLISHED)
    add = request.GET.get("add", "")
    if add:
        if not add.isdigit():
            raise Http404
        resource = get_object_or_404(candidates.select_related("cohort"), pk=int(add))
        return render(request, "meetings/_guidelines_chosen.html", {"resource": resource})
    query = request.GET.get("guidelines_q", "").strip()[:100]
    found = (
        list(candidates.filter(title__icontains=query).select_related("cohort")[:10])
        if query
        else []
    )
    return render(
        request,
        "meetings/_guidelines_options.html",
        {"cohort": cohort, "found": found, "query": query},
    )


class InstantField(forms.DateTimeField):
    """An ISO 8601 instant (``2025-03-03T14:00:00Z``); a value without an offset is UTC, not
    the viewer's zone."""

    def to_python(self, value):
        with timezone.override(dt.UTC):
            return super().to_python(value)


class ScheduleLinkForm(forms.Form):
    """The query string of a find-time "Schedule" link: ``?start=<instant>&duration=<minutes>``."""

    start = InstantField(label=gettext_lazy("start"))
    duration = forms.IntegerField(
        label=gettext_lazy("duration"), required=False, min_value=15, max_value=480
    )


def _prefill(request) -> tuple[dict, list[str]]:
    """Initial values of a new meeting from a find-time link, or the reasons it is invalid."""
    if not request.GET.get("start") and not request.GET.get("duration"):
        return {}, []
    link = ScheduleLinkForm(request.GET)
    if not link.is_valid():
        return {}, [
            f"{link.fields[field].label}: {message}"
            for field, errors in link.errors.items()
            for message in errors
        ]
    start, duration = link.cleaned_data["start"], link.cleaned_data["duration"]
    return {
        "starts_local": services_local(start, person_zone(request.user)),
        "duration_minutes": duration or 60,
        "title": _("Orientation session"),
        "kind": "orientation",
    }, []


@coordinator_only
def meeting_edit(request, slug, pk=None):
    cohort = get_object_or_404(Cohort, slug=slug)
    meeting = get_object_or_404(Meeting, cohort=cohort, pk=pk) if pk else Meeting(cohort=cohort)
    initial, link_errors = ({}, []) if pk or request.method == "POST" else _prefill(request)
    form = MeetingForm(
        request.POST or None,
        request.FILES or None,
        instance=meeting,
        tzname=person_zone(request.user),
        initial=initial,
        user=request.user,
    )
    if request.method == "POST" and form.is_valid():
        created = meeting.pk is None
        try:
            meeting = services.save_meeting(
                form.save(commit=False),
                actor=request.user,
                guidelines_file=form.cleaned_data.get("guidelines_file"),
            )
        except ValidationError as refused:  # the library refused the file: nothing was saved
            form.add_error("guidelines_file", refused)
            if created:
                meeting.pk = None
        else:
            messages.success(request, f"“{meeting.title}” is scheduled.")
            return redirect(meeting)
    if link_errors:
        # A hand-edited or truncated link: say what is wrong, offer the empty form (400).
        messages.error(
            request,
            _("This scheduling link is not valid (%(errors)s). Enter the meeting below.")
            % {"errors": "; ".join(link_errors)},
        )
    return render(
        request,
        "meetings/form.html",
        {"form": form, "cohort": cohort, "meeting": meeting},
        status=400 if link_errors else 200,
    )


def services_local(instant, tzname):
    return to_local(instant, tzname or "UTC").replace(tzinfo=None)


@coordinator_only
def find_time(request, slug):
    cohort = get_object_or_404(Cohort, slug=slug)
    form = FindTimeForm(request.GET or None)
    # ?person=<user id>…: only these people (e.g. a workshop's registered and interested).
    ids = {int(v) for v in request.GET.getlist("person") if v.isascii() and v.isdigit()}
    people = sorted(ids)[:2000]
    result = rotation = None
    if request.GET and form.is_valid():
        data = services.scheduling_input(
            cohort,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            duration=form.cleaned_data["duration"],
            sessions=form.cleaned_data["sessions"],
            meetings=form.cleaned_data.get("meetings"),
            people_ids=people or None,
        )
        names = {p["id"]: p["name"] for p in data["participants"]}
        try:
            result = find_slots(data)
            if not result["everyone_fits"] and "pairs" not in result:
                # No single slot serves everyone: propose the best two sessions as well.
                two = {**data, "settings": {**data["settings"], "sessions": 2}}
                result["pairs"] = find_slots(two).get("pairs", [])
            if form.cleaned_data.get("meetings"):
                rotation = rotate(data)
        except SchedulingInputError as error:
            form.add_error(None, str(error))
        else:
            result["names"] = names
            _decorate(result)
            if rotation:
                for meeting in rotation["meetings"]:
                    meeting["start"] = _instant(meeting["start_utc"])
                rotation["rows"] = sorted(
                    (
                        (names.get(pid, pid), count)
                        for pid, count in rotation["unsociable_counts"].items()
                    ),
                    key=lambda r: (-r[1], r[0]),
                )
    return render(
        request,
        "meetings/find_time.html",
        {
            "cohort": cohort,
            "form": form,
            "result": result,
            "rotation": rotation,
            "people": people,
        },
    )


def _instant(text: str) -> dt.datetime:
    """The engine's ``2026-12-14T14:00:00Z`` as an aware instant (shown, never printed raw)."""
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))


def _decorate(result: dict) -> None:
    """Add instants (for display in the viewer's zone) and, per region, the local start in
    every zone of its participants, zone named (the engine lists them, west to east)."""
    sessions = [s for pair in result.get("pairs", []) for s in pair["sessions"]]
    for slot in result["slots"] + sessions:
        slot["start"] = _instant(slot["start_utc"])
        for info in slot.get("regions", {}).values():
            info["local_times"] = []
            for zone in info.get("zones", []):
                local = dt.datetime.fromisoformat(zone["local_start"])
                label = utc_offset_label(local, zone["timezone"])
                info["local_times"].append(f"{local:%a %H:%M} {zone['timezone']} ({label})")


# --- Check-ins --------------------------------------------------------------------------------


def _checkin(request, slug, pk) -> CheckIn:
    checkin = get_object_or_404(
        CheckIn.objects.select_related(
            "partnership__cohort",
            "partnership__experienced__applicant",
            "partnership__learning__applicant",
            "proposed_by",
            "logged_by",
        ),
        partnership__cohort__slug=slug,
        pk=pk,
    )
    if not request.user.has_perm("meetings.view_checkin", checkin):
        raise Http404
    return checkin


def _log_form(request, checkin: CheckIn, data=None, mine: CheckInLog | None = None) -> LogForm:
    """The log form in the logger's own zone: its default date is their local date of the
    confirmed time (or today, theirs), and a different date must be acknowledged. With an
    account of theirs already, the form starts from it (saving adds a revision)."""
    tzname, now = person_zone(request.user), timezone.now()
    planned = services.planned_day(checkin, tzname)
    confirmed_at = checkin.proposed_at if planned else None
    initial = {
        "held_on": planned or local_date(now, tzname),
        "held_time": to_local(confirmed_at, tzname).time() if confirmed_at else None,
    }
    if mine is not None:
        initial = {
            "held_on": mine.held_on,
            "held_time": to_local(mine.held_at, tzname).time() if mine.held_at else None,
            "other_day": planned is not None and mine.held_on != planned,
            "other_time": services.held_at_planned_time(checkin, mine) is False,
            "progress": mine.progress,
            "challenges": mine.challenges,
            "next_steps": mine.next_steps,
            "rating": mine.rating,
        }
    return LogForm(
        data, tzname=tzname, planned=planned, confirmed_at=confirmed_at, now=now, initial=initial
    )


def _render_checkin(request, checkin: CheckIn, log_form: LogForm | None = None, status=200):
    """The check-in page; ``log_form`` carries errors when a log was refused."""
    now = timezone.now()
    tzname = person_zone(request.user)
    today = local_date(now, tzname)
    accounts = services.accounts(checkin)
    mine = next((a["current"] for a in accounts if a["current"].author_id == request.user.pk), None)
    context = {
        "checkin": checkin,
        "pair": checkin.partnership,
        "cohort": checkin.partnership.cohort,
        "status": checkin.status(today),
        "late": services.is_late(checkin),
        "accounts": accounts,
        "my_account": mine,
        "propose_form": ProposeForm(
            suggestions=services.suggested_times(checkin, now), tzname=tzname
        ),
        "log_form": log_form or _log_form(request, checkin, mine=mine),
        # Participant actions test the rule itself: Django's superuser shortcut does not apply.
        "can_act": rules.has_perm("meetings.act_on_checkin", request.user, checkin),
    }
    return render(request, "meetings/checkin.html", context, status=status)


@login_required
def checkin_detail(request, slug, pk):
    return _render_checkin(request, _checkin(request, slug, pk))


@require_POST
@login_required
def checkin_action(request, slug, pk, action):
    checkin = _checkin(request, slug, pk)
    if not rules.has_perm("meetings.act_on_checkin", request.user, checkin):
        raise PermissionDenied
    try:
        if action == "propose":
            form = ProposeForm(
                request.POST,
                tzname=person_zone(request.user),
                suggestions=services.suggested_times(checkin, timezone.now()),
            )
            if not form.is_valid():
                raise services.CheckInError(
                    " ".join(m for errors in form.errors.values() for m in errors)
                )
            services.propose(
                checkin, request.user, form.cleaned_data["start"], form.cleaned_data["duration"]
            )
            if services.is_late(checkin):
                messages.warning(
                    request,
                    _(
                        "Time proposed, after the round's due date (%(due)s): this check-in "
                        "will count as late. Your partner was e-mailed to confirm."
                    )
                    % {"due": formats.date_format(checkin.due_date)},
                )
            else:
                messages.success(request, _("Time proposed; your partner was e-mailed to confirm."))
        elif action == "confirm":
            services.confirm(checkin, request.user)
            messages.success(request, _("Check-in confirmed. Add it to your calendar."))
        elif action == "log":
            form = _log_form(request, checkin, request.POST)
            if not form.is_valid():
                return _render_checkin(request, checkin, form, status=400)
            data = dict(form.cleaned_data)
            for acknowledgement in ("other_day", "other_time", "held_time"):
                data.pop(acknowledgement, None)
            services.log(checkin, request.user, **data)
            messages.success(request, _("Check-in logged. Thank you!"))
        else:
            raise Http404
    except services.CheckInError as error:
        messages.error(request, str(error))
    return redirect("meetings:checkin", slug, pk)


def _overview_badges(slug: str, rows: list[dict]) -> None:
    """Give each row's check-ins what their badges show (``row["badges"]``: address, title,
    status, round, label). A page has some 200 check-ins but few distinct due dates and five
    statuses, so each label and title is translated and formatted once, not per badge, and the
    address comes from one ``reverse()`` (tandem.core.urls.url_maker)."""
    url = url_maker("meetings:checkin", slug, ID)
    labels = {status: str(label) for status, label in CheckIn.STATUS_LABELS.items()}
    titles: dict[dt.date, str] = {}
    for row in rows:
        for c, _status in row["checkins"]:
            if c.due_date not in titles:
                titles[c.due_date] = _("due %(due)s") % {"due": formats.date_format(c.due_date)}
        row["badges"] = [
            (url(c.pk), titles[c.due_date], status, c.round, labels[status])
            for c, status in row["checkins"]
        ]


@coordinator_only
def checkin_overview(request, slug):
    cohort = get_object_or_404(Cohort, slug=slug)
    today = local_date(timezone.now(), person_zone(request.user))  # the viewer's own date
    page = page_of(request, services.overview_pairs(cohort))  # ?page=N
    rows = services.overview(cohort, today, page)
    _overview_badges(cohort.slug, rows)
    return render(
        request,
        "meetings/checkins.html",
        {
            "cohort": cohort,
            "rows": rows,
            "page": page,
            "totals": services.overview_totals(cohort, today),
            "today": today,
        },
    )
