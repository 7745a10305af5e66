import pytest

from .factories import CohortFactory, CoordinatorFactory, OrganizationFactory, UserFactory

pytest_plugins = ["tests.pairing_fixtures"]


@pytest.fixture
def coordinator(db):
    return CoordinatorFactory()


@pytest.fixture
def participant(db):
    return UserFactory()


@pytest.fixture
def cohort(db):
    return CohortFactory()


@pytest.fixture
def consortium(db):
    return OrganizationFactory(symbol="KRDC", name="Kenya Research Data Consortium", country="KE")


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


@pytest.fixture
def participant_client(client, participant):
    client.force_login(participant)
    return client
