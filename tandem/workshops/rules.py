"""Named permissions for training workshops.

* ``workshops.manage``: plan workshops of a cohort (coordinators);
* ``workshops.edit``: edit one workshop (coordinators, and that workshop's facilitators only);
* ``workshops.view``: see a workshop (coordinators, its facilitators, and accepted participants
  of its cohort or of a cohort it is also open to);
* ``workshops.register``: take a seat (accepted participants of those cohorts: the rule itself,
  never ``user.has_perm``, so Django's superuser shortcut does not apply);
* ``workshops.browse``: the cohort's workshop list (coordinators and its accepted participants).
"""

from __future__ import annotations

import rules

from tandem.accounts.rules import is_coordinator
from tandem.applications.models import Application
from tandem.core.roles import holds_role

is_facilitator = holds_role("facilitators")


def open_cohort_ids(workshop) -> set[int]:
    """The cohorts whose participants may register: its own and those it is also open to."""
    return {workshop.cohort_id, *workshop.also_open_to.values_list("pk", flat=True)}


@rules.predicate
def may_attend(user, workshop) -> bool:
    """An accepted participant of the workshop's cohort or of a cohort it is also open to."""
    if workshop is None or not getattr(user, "is_authenticated", False):
        return False
    return Application.objects.filter(
        applicant=user,
        status=Application.Status.ACCEPTED,
        cohort_id__in=open_cohort_ids(workshop),
    ).exists()


@rules.predicate
def takes_part_in(user, cohort) -> bool:
    return (
        cohort is not None
        and getattr(user, "is_authenticated", False)
        and Application.objects.filter(
            cohort=cohort, applicant=user, status=Application.Status.ACCEPTED
        ).exists()
    )


rules.add_perm("workshops.manage", is_coordinator)
rules.add_perm("workshops.edit", is_coordinator | is_facilitator)
rules.add_perm("workshops.view", is_coordinator | is_facilitator | may_attend)
rules.add_perm("workshops.register", may_attend)
rules.add_perm("workshops.browse", is_coordinator | takes_part_in)


# --- Running workshops, topic proposals, certificates and reports (issue 14, part 2) -----------


@rules.predicate
def attended(user, registration) -> bool:
    """The person of ``registration``, marked present at its session."""
    return (
        registration is not None
        and getattr(user, "is_authenticated", False)
        and registration.person_id == user.pk
        and registration.attended is True
    )


# A session's roster, attendance, feedback, materials and all its certificates: coordinators and
# that workshop's facilitators (object: the workshop).
rules.add_perm("workshops.run", is_coordinator | is_facilitator)
# Rate a session and download one's own certificate (object: the registration): the attendee
# only, tested with the rule itself.
rules.add_perm("workshops.rate", attended)
rules.add_perm("workshops.certificate", attended)
# Topic proposals (object: the cohort): its accepted participants and coordinators propose;
# only participants vote; the coordinators' view (applicants' challenges) and the cohort report.
rules.add_perm("workshops.propose_topic", is_coordinator | takes_part_in)
rules.add_perm("workshops.vote", takes_part_in)
rules.add_perm("workshops.report", is_coordinator)
