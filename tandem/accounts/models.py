"""People: e-mail login, a display name, their own time zone, and a role."""

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone as dj_timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True, is_coordinator=True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. Participants (Consortium Leads) are the default; coordinators run programs."""

    email = models.EmailField(_("e-mail address"), unique=True)
    name = models.CharField(max_length=150)
    timezone = models.CharField(
        max_length=64, default="UTC", help_text=_("Times are shown to you in this zone.")
    )
    is_coordinator = models.BooleanField(
        default=False, help_text=_("Program staff: manage cohorts, review applications and pairs.")
    )
    is_staff = models.BooleanField(
        default=False, help_text=_("Can use the Django admin back office.")
    )
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=dj_timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["name"]

    class Meta:
        ordering = ["name", "email"]

    def __str__(self) -> str:
        return self.name or self.email

    @property
    def role(self) -> str:
        return "coordinator" if self.is_coordinator else "participant"

    def get_full_name(self) -> str:
        return self.name

    def get_short_name(self) -> str:
        return self.name.split(" ")[0] if self.name else self.email


class ThrottleEvent(models.Model):
    """One counted event of an e-mail throttle (see :mod:`tandem.accounts.throttle`).

    ``key`` is a keyed hash of the recipient address or the client address, never the value."""

    scope = models.CharField(max_length=40)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=dj_timezone.now)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"], name="throttle_lookup")]

    def __str__(self) -> str:
        return f"{self.scope} at {self.at:%Y-%m-%d %H:%M:%S}"
