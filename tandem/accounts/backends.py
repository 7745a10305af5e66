"""Sign-in and the back office's model permissions.

Tandem's own pages, templates and API decide with named rules (django-rules, each app's
``rules.py``). Django's model permissions (``auth_permission``, granted in the admin) only
matter in the back office, which only staff can enter. Django's ``ModelBackend`` would still
read them for everybody: two queries on every page whose header asks a rule that is false for
the person (``{% has_perm "cohorts.manage_cohort" user %}`` for every participant). This
backend reads them for staff and superusers only; for anyone else the answer was already "no
permissions" in practice, since nobody else can reach a page where they apply."""

from django.contrib.auth.backends import ModelBackend


class BackOfficeModelBackend(ModelBackend):
    """``ModelBackend`` whose model permissions apply to staff and superusers only."""

    @staticmethod
    def _back_office(user) -> bool:
        return bool(getattr(user, "is_staff", False) or getattr(user, "is_superuser", False))

    def get_user_permissions(self, user_obj, obj=None):
        if not self._back_office(user_obj):
            return set()
        return super().get_user_permissions(user_obj, obj)

    def get_group_permissions(self, user_obj, obj=None):
        if not self._back_office(user_obj):
            return set()
        return super().get_group_permissions(user_obj, obj)

    def get_all_permissions(self, user_obj, obj=None):
        if not self._back_office(user_obj):
            return set()
        return super().get_all_permissions(user_obj, obj)
