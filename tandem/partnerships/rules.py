"""Named permissions for pairing, and the one "is a partner" predicate every app uses."""

import rules

from tandem.accounts.rules import is_coordinator

from .models import Partnership


@rules.predicate
def is_partner(user, pair) -> bool:
    """``user`` is one of the pair's two people."""
    return (
        pair is not None
        and user.is_authenticated
        and user.pk in (pair.experienced.applicant_id, pair.learning.applicant_id)
    )


@rules.predicate
def is_published(user, pair) -> bool:
    return pair is not None and pair.status == Partnership.Status.PUBLISHED


#: A partner of a published pair: what participant-only actions on a pair's things require.
is_published_partner = is_partner & is_published

rules.add_perm("partnerships.run_matching", is_coordinator)
rules.add_perm("partnerships.view_pair", is_coordinator | is_published_partner)
rules.add_perm("partnerships.end_pair", is_coordinator | is_published_partner)
# Ends any pair and says which partner leaves (a partner ending their own pair is the one leaving).
rules.add_perm("partnerships.manage_pair", is_coordinator)
