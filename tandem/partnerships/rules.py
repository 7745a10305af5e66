"""Named permissions for pairing."""

import rules

from tandem.accounts.rules import is_coordinator


@rules.predicate
def is_partner(user, pair) -> bool:
    return (
        pair is not None
        and user.is_authenticated
        and user.pk in (pair.experienced.applicant_id, pair.learning.applicant_id)
    )


@rules.predicate
def is_published(user, pair) -> bool:
    return pair is not None and pair.status == "published"


rules.add_perm("partnerships.run_matching", is_coordinator)
rules.add_perm("partnerships.view_pair", is_coordinator | (is_partner & is_published))
rules.add_perm("partnerships.end_pair", is_coordinator | (is_partner & is_published))
