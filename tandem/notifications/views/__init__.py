"""Notification pages: ``outbox`` (the coordinators' outbox) and ``unsubscribe`` (the public
one-click link of optional mails)."""
