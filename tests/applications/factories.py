"""factory_boy factories of the applications app."""

import factory
from django.utils import timezone as dj_tz

from tandem.applications.models import Application
from tests.accounts.factories import UserFactory
from tests.cohorts.factories import CohortFactory
from tests.members.factories import OrganizationFactory


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
