"""factory_boy factories shared by the whole suite."""

import datetime as dt

import factory
from django.utils import timezone as dj_tz

from tandem.accounts.models import User
from tandem.applications.models import Application
from tandem.cohorts.models import Cohort
from tandem.members.models import MemberType, Organization

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Faker("name")
    timezone = "Europe/Berlin"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class CoordinatorFactory(UserFactory):
    is_coordinator = True
    is_staff = True


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    symbol = factory.Sequence(lambda n: "ORG" + "".join(chr(65 + int(d)) for d in f"{n:03d}"))
    name = factory.Sequence(lambda n: f"Consortium {n} (test)")
    member_type = MemberType.CONSORTIUM
    country = "KE"


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    name = factory.Sequence(lambda n: f"Cohort {n}")
    slug = factory.Sequence(lambda n: f"cohort-{n}")
    timezone = "America/Los_Angeles"
    opens_at = factory.LazyFunction(lambda: dj_tz.now() - dt.timedelta(days=10))
    closes_at = factory.LazyFunction(lambda: dj_tz.now() + dt.timedelta(days=10))
    program_start = factory.LazyFunction(lambda: dj_tz.now().date() + dt.timedelta(days=30))
    program_end = factory.LazyFunction(lambda: dj_tz.now().date() + dt.timedelta(days=395))


class ApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Application

    cohort = factory.SubFactory(CohortFactory)
    applicant = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    status = Application.Status.SUBMITTED
    full_name = factory.LazyAttribute(lambda a: a.applicant.name)
    email = factory.LazyAttribute(lambda a: a.applicant.email)
    job_title = "Consortium Manager"
    timezone = "Africa/Nairobi"
    languages = factory.LazyFunction(lambda: {"en": 3})
    availability = factory.LazyFunction(lambda: [["mon", "09:00", "12:00"]])
    preferred_role = Application.RolePreference.LEARNING
    years_leading = 1
    experience_level = 2
    lead_since_year = 2023
    consortium_org_count = 5
    repository_count = 7
    goals = "Grow the consortium."
    challenges = "Few staff."
    accepted_guidelines = True
    consent_share_profile = True
    submitted_at = factory.LazyFunction(dj_tz.now)
    is_gap = factory.LazyAttribute(lambda a: a.organization.gap_eligible)
