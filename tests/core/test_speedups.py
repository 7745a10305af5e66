"""tandem.core.speedups: the fast Col.identity equals Django's own, for every way a column is
built, so equality and hashing of expressions (ORDER BY positions, GROUP BY, DISTINCT) are
unchanged."""

import pytest
from django.db.models.expressions import Col, Expression

from tandem.accounts.models import User
from tandem.applications.models import Application
from tandem.core import speedups

generic = Expression.__dict__["identity"].func
name = User._meta.get_field("name")
email = User._meta.get_field("email")
applicant = Application._meta.get_field("applicant")


def test_applied():
    assert "identity" in Col.__dict__


@pytest.mark.parametrize(
    "make",
    [
        lambda: Col("T1", name),
        lambda: Col("T1", name, email),
        lambda: Col("T1", name, output_field=email),
        lambda: Col(alias="T1", target=name),
        lambda: Col(None, applicant),
        lambda: Col("U0", applicant, None),
        lambda: Col("T1", name).relabeled_clone({"T1": "T7"}),
    ],
)
def test_identity_is_djangos(make):
    col = make()
    assert speedups._col_identity(col) == generic(col)
    assert col.identity == generic(make())
    assert hash(col) == hash(make()) and col == make()


def test_different_columns_differ():
    assert Col("T1", name) != Col("T2", name)
    assert Col("T1", name) != Col("T1", email)
    assert len({Col("T1", name), Col("T1", name), Col("T1", email)}) == 2


def test_a_subclass_keeps_the_generic_identity():
    class Wide(Col):
        def __init__(self, alias, target, output_field=None, extra=0):
            super().__init__(alias, target, output_field)
            self.extra = extra

    col = Wide("T1", name, extra=3)
    assert col.identity == generic(col)
    assert Wide("T1", name, extra=3) != Wide("T1", name, extra=4)
