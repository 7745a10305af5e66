import pytest
from django.core.management import CommandError, call_command

from tandem.accounts.models import User
from tandem.cohorts.models import Application, Cohort

pytestmark = [pytest.mark.django_db, pytest.mark.integration]


def test_seed_demo_builds_a_realistic_cohort():
    call_command("seed_demo")
    past = Cohort.objects.get(slug="2024")
    apps = Application.objects.filter(cohort=past)
    assert apps.count() == 60
    assert apps.filter(is_gap=True).exists() and apps.filter(is_gap=False).exists()
    assert len({a.organization.country.code for a in apps.select_related("organization")}) >= 30
    assert len({a.timezone for a in apps}) >= 30
    assert {a.preferred_role for a in apps} >= {"experienced", "learning"}
    assert User.objects.filter(email="coordinator@example.org", is_coordinator=True).exists()
    assert any(c.is_open() for c in Cohort.objects.all())
    # It refuses to run twice, unless asked to skip.
    with pytest.raises(CommandError):
        call_command("seed_demo")
    call_command("seed_demo", "--if-empty")
