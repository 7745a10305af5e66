"""GAP eligibility of a whole list with one query (issue 13): ``with_gap_rules()`` reads each
country's override with the organisations, and the answer is the same as one at a time."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.members.models import CountryGapRule, NonProfitStatus, Organization
from tests.members.factories import OrganizationFactory

pytestmark = [pytest.mark.django_db]


def test_annotated_eligibility_is_the_rule_and_costs_no_query_per_organisation():
    CountryGapRule.objects.create(country="BR", gap_eligible=False)  # shipped: GAP
    CountryGapRule.objects.create(country="DE", gap_eligible=True)  # shipped: not GAP
    for country in ("BR", "DE", "KE", "FR"):
        for override in (None, True, False):
            OrganizationFactory(country=country, gap_override=override)
        OrganizationFactory(country=country, non_profit_status=NonProfitStatus.FOR_PROFIT)
    one_by_one = {o.pk: o.gap_eligible for o in Organization.objects.all()}
    assert set(one_by_one.values()) == {True, False}
    with CaptureQueriesContext(connection) as queries:
        annotated = {o.pk: o.gap_eligible for o in Organization.objects.with_gap_rules()}
    assert len(queries) == 1
    assert annotated == one_by_one
    brazil = Organization.objects.with_gap_rules().get(
        country="BR", gap_override=None, non_profit_status=NonProfitStatus.NON_PROFIT
    )
    assert brazil.country_gap_rule is False and brazil.gap_eligible is False
