"""factory_boy factories of the cohorts app."""

import datetime as dt

import factory
from django.utils import timezone as dj_tz

from tandem.cohorts.models import Cohort


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
