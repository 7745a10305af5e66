"""Named permissions for meetings and check-ins."""

import rules

from tandem.accounts.rules import is_coordinator
from tandem.partnerships.rules import is_published_partner


@rules.predicate
def is_checkin_partner(user, checkin) -> bool:
    """A partner of the check-in's published pair (the pairing app's one predicate)."""
    return checkin is not None and is_published_partner.test(user, checkin.partnership)


rules.add_perm("meetings.manage", is_coordinator)
rules.add_perm("meetings.view_checkin", is_coordinator | is_checkin_partner)
rules.add_perm("meetings.act_on_checkin", is_checkin_partner)
