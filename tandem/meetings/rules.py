"""Named permissions for meetings and check-ins."""

import rules

from tandem.accounts.rules import is_coordinator
from tandem.applications.models import Application
from tandem.partnerships.rules import is_published_partner


@rules.predicate
def is_checkin_partner(user, checkin) -> bool:
    """A partner of the check-in's published pair (the pairing app's one predicate)."""
    return checkin is not None and is_published_partner.test(user, checkin.partnership)


@rules.predicate
def takes_part_in(user, cohort) -> bool:
    """An accepted participant of ``cohort``."""
    return (
        cohort is not None
        and user.is_authenticated
        and Application.objects.filter(
            cohort=cohort, applicant=user, status=Application.Status.ACCEPTED
        ).exists()
    )


rules.add_perm("meetings.manage", is_coordinator)
rules.add_perm("meetings.view_cohort_meetings", is_coordinator | takes_part_in)
rules.add_perm("meetings.view_checkin", is_coordinator | is_checkin_partner)
rules.add_perm("meetings.act_on_checkin", is_checkin_partner)
