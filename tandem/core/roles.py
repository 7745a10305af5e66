"""Object-level roles for the rules of every app.

A global flag (``is_coordinator``) says what someone is for the whole programme; an object role
says what they are *for one object*: the facilitator of a workshop, a member of a project. An
app declares the role as a relation from its object to users and builds its named rules on the
predicate this module makes, so views, templates (``{% has_perm %}``) and the API ask the same
question::

    is_facilitator = holds_role("facilitators")          # Workshop.facilitators: M2M to User
    rules.add_perm("workshops.edit", is_coordinator | is_facilitator)
"""

from __future__ import annotations

import rules


def holds_role(relation: str) -> rules.Predicate:
    """A predicate true when the user is among ``obj.<relation>`` (a to-many relation to
    users, e.g. a many-to-many field or a reverse foreign key), or equals ``obj.<relation>``
    (a foreign key to a user). One query at most; ``None`` objects hold no role."""

    @rules.predicate(name=f"holds_role:{relation}")
    def predicate(user, obj) -> bool:
        if obj is None or not getattr(user, "is_authenticated", False):
            return False
        related = getattr(obj, relation)
        if hasattr(related, "filter"):  # a related manager
            return related.filter(pk=user.pk).exists()
        return getattr(related, "pk", related) == user.pk

    return predicate
