"""What the partnerships app tells other apps (they connect receivers; it imports none)."""

from django.dispatch import Signal

#: Pairs became visible to their partners. Arguments: ``pairs`` (list of Partnership),
#: ``actor``. Sent inside the publishing transaction, so a receiver's writes commit with it
#: (meetings creates the pairs' check-in rounds).
pairs_published = Signal()
