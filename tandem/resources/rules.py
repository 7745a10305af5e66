"""Named permissions of the resource library. Who *sees* a resource is one queryset,
``selectors.visible_to``; the rules below ask it, so pages, search and downloads agree."""

import rules

from tandem.accounts.rules import is_coordinator
from tandem.applications.models import Application

from .models import Status
from .selectors import visible_to


@rules.predicate
def is_participant(user) -> bool:
    """An accepted participant of some cohort (alumni included)."""
    return bool(
        user
        and user.is_authenticated
        and Application.objects.filter(applicant=user, status=Application.Status.ACCEPTED).exists()
    )


@rules.predicate
def sees(user, resource) -> bool:
    return resource is not None and visible_to(user).filter(pk=resource.pk).exists()


@rules.predicate
def is_owner(user, resource) -> bool:
    return resource is not None and user.is_authenticated and resource.owner_id == user.pk


@rules.predicate
def is_published(user, resource) -> bool:
    return resource is not None and resource.status == Status.PUBLISHED


rules.add_perm("resources.view", sees)
rules.add_perm("resources.share", is_coordinator | is_participant)
# Edit the description, upload a new version, add a language variant, withdraw it.
rules.add_perm("resources.edit", sees & (is_coordinator | is_owner))
rules.add_perm("resources.remove", sees & (is_coordinator | is_owner))
rules.add_perm("resources.feature", is_coordinator)
rules.add_perm("resources.review", is_coordinator)
# Mark useful, comment: signed-in people who see a published resource.
rules.add_perm("resources.use", rules.is_authenticated & sees & is_published)
