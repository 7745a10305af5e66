"""factory_boy factories of the workshops app."""

import datetime as dt

import factory
from django.utils import timezone as dj_tz

from tandem.workshops.models import Registration, Session, Workshop
from tests.accounts.factories import UserFactory
from tests.cohorts.factories import CohortFactory


class WorkshopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Workshop
        skip_postgeneration_save = True

    cohort = factory.SubFactory(CohortFactory)
    title = factory.Sequence(lambda n: f"Workshop {n}: running a consortium")
    description = "Hands-on: **governance** and fees."
    language = "en"
    video_url = "https://video.example.org/workshop"
    capacity = 10
    gap_share = 0
    offer_hours = 24

    @factory.post_generation
    def facilitators(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.facilitators.set(extracted)

    @factory.post_generation
    def also_open_to(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.also_open_to.set(extracted)

    @factory.post_generation
    def topics(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.topics.set(extracted)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    workshop = factory.SubFactory(WorkshopFactory)
    label = "Americas session"
    starts_at = factory.LazyFunction(
        lambda: (dj_tz.now() + dt.timedelta(days=14)).replace(minute=0, second=0, microsecond=0)
    )
    duration_minutes = 90


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(UserFactory)
    status = Registration.Status.REGISTERED
    gap = False
    queued_at = factory.LazyFunction(dj_tz.now)
