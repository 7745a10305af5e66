"""What the cohorts app tells other apps (they connect receivers; cohorts imports none of them)."""

from django.dispatch import Signal

#: An accepted participant stopped taking part: their application was withdrawn, or a decision
#: moved it away from *accepted*. Arguments: ``application``, ``actor``, ``reason`` (text).
#: Receivers end what depends on the participation (e.g. partnerships end the person's pairs).
participation_ended = Signal()
