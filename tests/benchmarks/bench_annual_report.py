"""The city-scale year-end report PDF: render time and peak memory, beside WeasyPrint alone on the same HTML.

Run by ``make bench`` after bench_pages.py (same database: var/bench.sqlite3 or DATABASE_URL). Each measurement
runs in a fresh process so that its peak memory (max RSS) is its own. Goal: ≤ 15 s and ≤ 500 MB on 2 cores.
"""

import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench.sqlite3'}")
os.environ["DEBUG"] = "False"

REPEAT = int(os.environ.get("BENCH_PDF_REPEAT", "3"))
HTML_FILE = ROOT / "var" / "bench_annual_report.html"


def _setup():
    import django

    django.setup()


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def child(kind: str, programme_id: int) -> None:
    """One measurement in this process: ``full`` (queries + template + PDF) or ``weasyprint`` (PDF from HTML)."""
    _setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from weasyprint import HTML

    from reports.pdf import PDF_BASE_URL, StaticOnlyFetcher, render_pdf

    result = {}
    if kind == "full":
        from django.template.loader import render_to_string

        from programmes.models import Programme
        from reports.annual import annual_report

        start = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            programme = Programme.objects.select_related("authority").get(pk=programme_id)
            context = annual_report(programme)
        gathered = time.perf_counter()
        html = render_to_string("reports/annual_report_pdf.html", context)
        templated = time.perf_counter()
        pdf = render_pdf("reports/annual_report_pdf.html", context)
        done = time.perf_counter()
        HTML_FILE.write_text(html, encoding="utf-8")
        result = {
            "seconds": done - start - (templated - gathered),  # render_pdf renders the template itself
            "data_seconds": gathered - start,
            "template_seconds": templated - gathered,
            "queries": len(queries.captured_queries),
            "agreements": context["agreement_count"],
            "bytes": len(pdf),
        }
    else:
        html = HTML_FILE.read_text(encoding="utf-8")
        start = time.perf_counter()
        pdf = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher()).write_pdf()
        result = {"seconds": time.perf_counter() - start, "bytes": len(pdf)}
    result["peak_mb"] = _peak_mb()
    print(json.dumps(result))


def _run(kind: str, programme_id: int) -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(programme_id)],
        capture_output=True,
        text=True,
        check=True,
        env=os.environ.copy(),
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def main() -> None:
    _setup()
    from django.core.management import call_command

    from grants.models import Agreement
    from programmes.models import Programme
    from reports.demo import seed_reports

    call_command("migrate", verbosity=0)
    programme = Programme.objects.filter(year_from=2025).select_related("authority").first()
    if programme is None or Agreement.objects.count() < 100:
        print("Budowanie danych w skali miasta (jednorazowo)…", flush=True)
        call_command("seed_demo", "--scale", "city", verbosity=0)
        programme = Programme.objects.filter(year_from=2025).select_related("authority").first()
    seed_reports(programme.authority, "city")  # a database seeded before the reports existed gets them now

    full = [_run("full", programme.pk) for _ in range(REPEAT)]
    alone = [_run("weasyprint", programme.pk) for _ in range(REPEAT)]
    first = full[0]
    print(
        f"\nSprawozdanie roczne (PDF) w skali miasta: program {programme.year_from}, umów w roku: "
        f"{first['agreements']}, zapytań SQL: {first['queries']}, PDF: {first['bytes'] // 1024} KB, "
        f"powtórzeń: {REPEAT}\n"
    )
    header = f"{'pomiar':44} {'mediana s':>10} {'maks. s':>8} {'szczyt pamięci MB':>18}"
    print(header)
    print("-" * len(header))
    for name, rows in (("cały PDF (dane + szablon + WeasyPrint)", full), ("sam WeasyPrint (ten sam HTML)", alone)):
        times = [r["seconds"] for r in rows]
        print(f"{name:44} {statistics.median(times):10.2f} {max(times):8.2f} {max(r['peak_mb'] for r in rows):18.0f}")
    print(
        f"{'  w tym zbieranie danych':44} {statistics.median(r['data_seconds'] for r in full):10.2f}"
        f"\n{'  w tym szablon HTML':44} {statistics.median(r['template_seconds'] for r in full):10.2f}"
    )
    print("\nCel: ≤ 15 s i ≤ 500 MB na 2 rdzeniach.")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
