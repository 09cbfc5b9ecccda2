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
    """Reload art. 4 reference data if something emptied the table (a flush brings them back by itself)."""
    from organisations.models import PublicTaskArea
    from organisations.task_areas import load_areas

    if not PublicTaskArea.objects.exists():
        load_areas(PublicTaskArea)


def squash(html: str) -> str:
    """Collapse ASCII white space only: non-breaking spaces in amounts (357 000,00 zł) must survive."""
    import re

    return re.sub(r"[ \t\r\n]+", " ", html)


def pdf_text(content: bytes, layout: bool = False) -> str:
    """The text of a PDF as poppler reads it, with line-end hyphenation undone and lines joined."""
    import subprocess

    args = ["pdftotext"] + (["-layout"] if layout else []) + ["-", "-"]
    text = subprocess.run(args, input=content, capture_output=True, check=True).stdout.decode()
    if layout:
        return text
    return " ".join(text.replace("\u2010\n", "").replace("\xad\n", "").split("\n")).replace("\xa0", " ")


def race(*actions):
    """Run the actions at the same moment in parallel threads, each on its own database connection.

    Returns each action's result or the exception it raised, for the test to inspect (PostgreSQL row locks).
    """
    import threading

    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait()
            results[index] = action()
        except Exception as error:  # noqa: BLE001 - the test inspects what each side got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, a)) for i, a in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results
