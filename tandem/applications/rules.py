"""Named permissions on applications, used by views, templates and the API.

Names avoid Django's model-permission names (``applications.view_application`` …), which the
admin would otherwise honour for these rules."""

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


rules.add_perm("applications.review", is_coordinator)
rules.add_perm("applications.see", is_coordinator | is_applicant)
rules.add_perm("applications.edit", is_applicant & application_is_editable)
rules.add_perm("applications.withdraw", is_applicant & application_is_withdrawable)
