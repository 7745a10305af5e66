"""Named permissions for meetings and check-ins."""

import rules

from tandem.accounts.rules import is_coordinator


@rules.predicate
def is_checkin_partner(user, checkin) -> bool:
    pair = checkin.partnership if checkin is not None else None
    return (
        pair is not None
        and pair.status == "published"
        and user.is_authenticated
        and (user.pk in (pair.experienced.applicant_id, pair.learning.applicant_id))
    )


rules.add_perm("meetings.manage", is_coordinator)
rules.add_perm("meetings.view_checkin", is_coordinator | is_checkin_partner)
rules.add_perm("meetings.act_on_checkin", is_checkin_partner)
