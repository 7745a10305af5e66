"""Named permission predicates shared by every app (django-rules)."""

import rules


@rules.predicate
def is_coordinator(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_coordinator)


is_signed_in = rules.is_authenticated

rules.add_perm("tandem.coordinate", is_coordinator)
