from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page: the blocks every app registers (``tandem.core.blocks``)."""

    name = "tandem.home"
    verbose_name = "Home page"
