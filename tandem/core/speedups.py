"""Small, exact speed-ups of Django internals that profiling showed on every page.

Each one gives the same result as the code it replaces (``tests/core/test_speedups.py`` checks
that) and is applied once, from :meth:`tandem.core.apps.CoreConfig.ready`.

``Col.identity``
    When a query has an ``ORDER BY``, Django 6.1's compiler hashes every selected column
    (``SQLCompiler._order_by_pairs`` maps selected expressions to their positions). A column's
    hash is its ``identity``, which ``Expression`` builds with
    ``inspect.Signature.bind_partial`` — about 40 µs a column. A participant's home page selects
    some 140 columns in ordered queries: 5–8 ms of each request went to binding signatures.
    ``Col.__init__(alias, target, output_field=None)`` is fixed, so its identity can be built
    directly from the constructor arguments, in the same shape (Django ticket #34631 proposed
    the same for ``Col``).
"""

from __future__ import annotations

from django.db.models.expressions import Col, Expression
from django.utils.functional import cached_property

_COL_ARGUMENTS = ("alias", "target", "output_field")
_generic_identity = Expression.__dict__["identity"].func


def _col_identity(self: Col) -> tuple:
    if type(self).__init__ is not Col.__init__:  # a subclass with its own signature
        return _generic_identity(self)
    args, kwargs = self._constructor_args
    if len(args) > len(_COL_ARGUMENTS) or not set(kwargs) <= set(_COL_ARGUMENTS):
        return _generic_identity(self)  # let Django raise or handle what it would
    values = dict(zip(_COL_ARGUMENTS, args, strict=False))
    values.update(kwargs)
    values.setdefault("output_field", None)  # the default, as apply_defaults() would add
    return (self.__class__, *((name, self._identity(values[name])) for name in _COL_ARGUMENTS))


def apply() -> None:
    if "identity" in Col.__dict__:
        return  # applied already (or Django defines its own)
    identity = cached_property(_col_identity)
    identity.__set_name__(Col, "identity")
    Col.identity = identity
