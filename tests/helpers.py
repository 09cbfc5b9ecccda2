"""Helpers shared by the test suite."""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def count_queries(action: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as context:
        action()
    return len(context.captured_queries)


def assert_constant_queries(action: Callable[[], object], grow: Callable[[], object], budget: int) -> int:
    """Pin a view's query count: the same before and after ``grow()`` adds data, and within ``budget``.

    Measuring at two data sizes is what exposes an N+1: a query per row stays hidden at one size.
    """
    small = count_queries(action)
    grow()
    large = count_queries(action)
    assert small == large, f"query count grows with the data: {small} → {large}"
    assert large <= budget, f"{large} queries, budget {budget}"
    return large


def ensure_task_areas() -> None:
    """Reload art. 4 reference data after a transactional test flushed the tables it came with."""
    from django.apps import apps

    from organisations.models import PublicTaskArea

    if not PublicTaskArea.objects.exists():
        load = __import__("organisations.migrations.0002_load_public_task_areas", fromlist=["load"]).load
        load(apps, None)
