"""The one audit mechanism: django-auditlog records every change of a registered model.

Requests get their actor from ``AuditlogMiddleware``; services called elsewhere (management
commands, tests) wrap their writes in ``acting_as(actor)`` so the record still says who.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from auditlog.context import set_actor


@contextmanager
def acting_as(actor) -> Iterator[None]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        yield
        return
    with set_actor(actor):
        yield
