"""url_maker gives exactly what reverse() gives, for any id."""

import pytest
from django.urls import reverse

from tandem.core.urls import ID, url_maker


@pytest.mark.parametrize("pk", [1, 7, 42, 1000, 2**40])
def test_same_address_as_reverse(pk):
    make = url_maker("meetings:checkin", "a-cohort", ID)
    assert make(pk) == reverse("meetings:checkin", args=["a-cohort", pk])


def test_the_id_may_stand_anywhere_among_the_arguments():
    make = url_maker("meetings:checkin_action", "c-2024", ID, "log")
    assert make(5) == reverse("meetings:checkin_action", args=["c-2024", 5, "log"])


def test_a_slug_containing_the_sentinel_still_reverses_correctly():
    slug = f"x{ID}"
    make = url_maker("meetings:checkin", slug, ID)
    assert make(3) == reverse("meetings:checkin", args=[slug, 3])


def test_needs_exactly_one_id():
    with pytest.raises(ValueError):
        url_maker("meetings:checkin", "a-cohort", 3)
