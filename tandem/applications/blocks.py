"""The applications app's home-page block: the person's own applications."""

from tandem.core.blocks import Block, register

from .models import Application


def _my_applications(request):
    applications = Application.objects.filter(applicant=request.user).select_related(
        "cohort", "organization"
    )
    return {"applications": applications} if applications else None


def register_blocks() -> None:
    register(
        Block("applications", "applications/_home_applications.html", _my_applications, order=40)
    )
