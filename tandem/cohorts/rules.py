"""Named permissions for cohorts and applications, used by views, templates and the API."""

import rules

from tandem.accounts.rules import is_coordinator


@rules.predicate
def is_applicant(user, application) -> bool:
    return application is not None and user.is_authenticated and application.applicant_id == user.pk


@rules.predicate
def application_is_editable(user, application) -> bool:
    return (
        application is not None
        and application.status in ("draft", "submitted")
        and application.cohort.is_open()
    )


@rules.predicate
def application_is_withdrawable(user, application) -> bool:
    return application is not None and application.status in (
        "draft",
        "submitted",
        "accepted",
        "waitlisted",
    )


rules.add_perm("cohorts.manage_cohort", is_coordinator)
rules.add_perm("cohorts.review_applications", is_coordinator)
rules.add_perm("cohorts.view_application", is_coordinator | is_applicant)
rules.add_perm("cohorts.change_application", is_applicant & application_is_editable)
rules.add_perm("cohorts.withdraw_application", is_applicant & application_is_withdrawable)
