from django.conf import settings
from django.utils import timezone


def tandem(request):
    return {
        "PROGRAM_NAME": settings.TANDEM_PROGRAM_NAME,
        "CONTACT_EMAIL": settings.TANDEM_CONTACT_EMAIL,
        "CURRENT_TIMEZONE": timezone.get_current_timezone_name(),
    }
