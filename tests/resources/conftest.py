import pytest

from tandem.resources.models import Visibility

from .factories import make_resource


@pytest.fixture
def library(published_pair, coordinator):
    """One resource of each visibility, in Lin and Eva's cohort and pair, shared by the
    coordinator (published at once), plus a pending one of Lin's."""
    cohort, people, pair = published_pair
    lin = people["lin"].applicant
    made = {
        visibility: make_resource(
            coordinator,
            title=f"{visibility} resource",
            visibility=visibility,
            cohort=cohort,
            partnership=pair if visibility == Visibility.PAIR else None,
        )
        for visibility in Visibility.values
    }
    made["pending"] = make_resource(
        lin, title="pending resource", visibility=Visibility.PUBLIC, cohort=cohort
    )
    return made
