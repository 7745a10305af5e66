"""Helpers of the workshops tests: participants (GAP or not) accepted in a cohort."""

from tandem.applications.models import Application
from tests.accounts.factories import UserFactory
from tests.applications.factories import ApplicationFactory


def participant_of(cohort, *, gap: bool = False, **user):
    """A person with an accepted application in ``cohort`` (from a GAP-region organisation if
    ``gap``: the application's snapshot ``is_gap`` says so)."""
    person = UserFactory(**user)
    ApplicationFactory(
        cohort=cohort, applicant=person, status=Application.Status.ACCEPTED, is_gap=gap
    )
    return person
