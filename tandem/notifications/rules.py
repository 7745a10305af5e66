"""Named permissions of the outbox.

Who coordinates is accounts' rule ``tandem.coordinate``, asked by name: this app sits below the
domain apps and imports none of them."""

import rules


@rules.predicate
def coordinates(user) -> bool:
    return bool(user) and user.has_perm("tandem.coordinate")


rules.add_perm("notifications.view_outbox", coordinates)
rules.add_perm("notifications.send_reminders", coordinates)
