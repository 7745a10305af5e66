"""Named permissions on cohorts, used by views, templates and the API."""

import rules

from tandem.accounts.rules import is_coordinator

rules.add_perm("cohorts.manage_cohort", is_coordinator)
