"""Object roles: one predicate factory for facilitators, project members, owners."""

import pytest
import rules

from tandem.accounts.models import User
from tandem.accounts.rules import is_coordinator
from tandem.core.roles import holds_role
from tests.accounts.factories import CoordinatorFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


class Thing:
    """An object with a to-many relation to users (a queryset stands in for the manager)
    and a foreign key to one."""

    def __init__(self, members, owner):
        self.members = User.objects.filter(pk__in=[m.pk for m in members])
        self.owner = owner


def test_holds_role_through_a_to_many_relation_and_a_foreign_key():
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    thing = Thing(members=[alice, bob], owner=carol)
    member, owner = holds_role("members"), holds_role("owner")
    assert member.test(alice, thing) and member.test(bob, thing)
    assert not member.test(carol, thing)
    assert owner.test(carol, thing) and not owner.test(alice, thing)
    assert not member.test(alice, None)


def test_roles_compose_with_global_flags_in_named_rules():
    alice, stranger, staff = UserFactory(), UserFactory(), CoordinatorFactory()
    thing = Thing(members=[alice], owner=None)
    name = "tests.edit_thing"
    if not rules.perm_exists(name):
        rules.add_perm(name, is_coordinator | holds_role("members"))
    assert rules.has_perm(name, alice, thing)
    assert rules.has_perm(name, staff, thing)
    assert not rules.has_perm(name, stranger, thing)
