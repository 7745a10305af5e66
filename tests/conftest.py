import pytest
import time_machine

from tests.accounts.factories import CoordinatorFactory, UserFactory
from tests.cohorts.factories import CohortFactory
from tests.members.factories import OrganizationFactory

from .clocks import ODD_INSTANTS, parse_clock

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


# --- The clock --------------------------------------------------------------------------------
# No test may depend on the wall clock. Two guards prove it:
# * ``--clock=INSTANT`` runs the whole session with "now" moved to INSTANT (ticking from there):
#   CI runs the suite at several odd instants (see Makefile ``test-clocks``);
# * the ``clock`` fixture runs a test once per instant of tests.clocks.ODD_INSTANTS, frozen.


def pytest_addoption(parser):
    parser.addoption(
        "--clock",
        default=None,
        help="Run the session as if it started at this instant (ISO 8601 with offset, or a name "
        "from tests/clocks.py: " + ", ".join(ODD_INSTANTS) + ").",
    )


_session_travel = None


def pytest_configure(config):
    global _session_travel
    value = config.getoption("--clock")
    if value:
        _session_travel = time_machine.travel(parse_clock(value), tick=True)
        _session_travel.start()


def pytest_unconfigure(config):
    global _session_travel
    if _session_travel is not None:
        _session_travel.stop()
        _session_travel = None


def pytest_report_header(config):
    value = config.getoption("--clock")
    return f"clock: session starts at {parse_clock(value).isoformat()}" if value else None


@pytest.fixture(params=list(ODD_INSTANTS.values()), ids=list(ODD_INSTANTS))
def clock(request):
    """Freeze "now" at each odd instant in turn; ``clock.shift(...)``/``clock.move_to(...)``
    move it (time_machine's traveller)."""
    with time_machine.travel(request.param, tick=False) as traveller:
        yield traveller
