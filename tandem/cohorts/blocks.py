"""The cohorts app's home-page blocks (registered in ``apps.py``)."""

from tandem.core.blocks import Block, audience_of, register

from . import services


def _open_cohorts(request):
    if audience_of(request) == "coordinator":  # coordinators see their own cohorts block
        return None
    user = request.user
    cohorts = services.open_cohorts()
    if user.is_authenticated:  # the reverse relation: cohorts never import applications
        cohorts = cohorts.exclude(applications__applicant=user)
    return {"open_cohorts": cohorts}


def _cohorts(request):
    return {"cohorts": services.cohorts_with_counts()}


def register_blocks() -> None:
    register(Block("cohorts", "cohorts/_home_cohorts.html", _cohorts, "coordinator", order=10))
    register(Block("open-cohorts", "cohorts/_home_open_cohorts.html", _open_cohorts, "anyone", 90))
