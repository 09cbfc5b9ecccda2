"""The city-scale year-end report PDF: render time and peak memory, beside WeasyPrint alone on the same HTML.

Run by ``make bench`` after bench_pages.py (same database: var/bench.sqlite3 or DATABASE_URL). Each measurement
runs in a fresh process so that its peak memory (max RSS) is its own, beside a plain document of as many pages (the
reference WeasyPrint cost of a page). WeasyPrint alone and the reference run under the PDF helper's own conditions
(``reports.pdf.collector_paused``), as the whole PDF does, so the three compare like with like.
Goal: ≤ 2.5× the reference per page, ≤ 5 s on a quiet machine, ≤ 500 MB.
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
    """One measurement in this process: ``full`` (queries + template + PDF), ``weasyprint`` (PDF from the same HTML)
    or ``plain`` (the reference document of as many pages as the report, given in place of the programme id)."""
    _setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from weasyprint import HTML

    from reports.pdf import PDF_BASE_URL, StaticOnlyFetcher, collector_paused, render_pdf

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
    elif kind == "weasyprint":
        html = HTML_FILE.read_text(encoding="utf-8")
        start = time.perf_counter()
        with collector_paused():
            document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher()).render()
            pdf = document.write_pdf()
        result = {"seconds": time.perf_counter() - start, "bytes": len(pdf), "pages": len(document.pages)}
    else:  # "plain": the reference, a plain document of ``argument`` pages of running text in the same fonts
        html = plain_document(programme_id)
        start = time.perf_counter()
        with collector_paused():
            document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=StaticOnlyFetcher()).render()
            pdf = document.write_pdf()
        result = {"seconds": time.perf_counter() - start, "bytes": len(pdf), "pages": len(document.pages)}
    result["peak_mb"] = _peak_mb()
    print(json.dumps(result))


PLAIN_TEXT = (
    "organizacja pozarządowa realizuje zadanie publiczne w zakresie kultury sportu i turystyki zgodnie z umową "
    "zawartą z gminą oraz sprawozdaniem przyjętym przez urząd w terminie określonym w programie współpracy"
)


def plain_document(pages: int) -> str:
    """A plain document of ``pages`` A4 pages: headings and paragraphs of running text in the PDFs' own stylesheet
    (fonts, margins, running header and page numbers), the reference a page of the year-end report is compared to."""
    from django.conf import settings

    from reports.pdf import PDF_BASE_URL

    words = PLAIN_TEXT.split()
    paragraph = " ".join(words[i % len(words)] for i in range(95))
    page = "".join(f"<p>{paragraph}.</p>" for _ in range(5))
    body = "".join(
        f'<section style="break-before: page"><h2>Rozdział {n}</h2>{page}</section>' for n in range(1, pages + 1)
    )
    return (
        '<!doctype html><html lang="pl"><head><meta charset="utf-8">'
        f'<link rel="stylesheet" href="{PDF_BASE_URL.rstrip("/")}{settings.STATIC_URL}css/pdf.css"></head>'
        f'<body><div class="running-header">Dokument wzorcowy</div>{body}</body></html>'
    )


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
    pages = alone[0]["pages"]
    plain = [_run("plain", pages) for _ in range(REPEAT)]
    first = full[0]
    print(
        f"\nSprawozdanie roczne (PDF) w skali miasta: program {programme.year_from}, umów w roku: "
        f"{first['agreements']}, zapytań SQL: {first['queries']}, PDF: {first['bytes'] // 1024} KB, "
        f"stron: {pages}, powtórzeń: {REPEAT}\n"
    )
    header = (
        f"{'pomiar':44} {'mediana s':>10} {'maks. s':>8} {'ms na stronę':>13} {'× wzorca':>9} {'szczyt pamięci MB':>18}"
    )
    print(header)
    print("-" * len(header))
    plain_page = statistics.median(r["seconds"] for r in plain) / plain[0]["pages"]
    for name, rows, count in (
        ("cały PDF (dane + szablon + WeasyPrint)", full, pages),
        ("sam WeasyPrint (ten sam HTML)", alone, pages),
        (f"wzorzec: zwykły tekst, {plain[0]['pages']} stron", plain, plain[0]["pages"]),
    ):
        times = [r["seconds"] for r in rows]
        per_page = statistics.median(times) / count
        print(
            f"{name:44} {statistics.median(times):10.2f} {max(times):8.2f} {per_page * 1000:13.0f} "
            f"{per_page / plain_page:9.2f} {max(r['peak_mb'] for r in rows):18.0f}"
        )
    print(
        f"{'  w tym zbieranie danych':44} {statistics.median(r['data_seconds'] for r in full):10.2f}"
        f"\n{'  w tym szablon HTML':44} {statistics.median(r['template_seconds'] for r in full):10.2f}"
    )
    print("\nCel: ≤ 2,5× wzorca na stronę, ≤ 5 s na spokojnej maszynie, ≤ 500 MB.")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], int(sys.argv[3]))
    else:
        main()
