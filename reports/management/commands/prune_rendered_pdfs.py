"""``python manage.py prune_rendered_pdfs --days 30``: forget background PDFs nobody asked for lately.

A PDF laid out in the background (``reports.rendering``) is kept by the SHA-256 of its HTML; every change in the
data makes a new one, so old ones pile up. They are caches, not records (frozen publications and submitted
versions are stored elsewhere and never pruned): deleting one only means the next request lays it out again.
Run it daily beside ``grant_report_reminders``.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand
from django.utils import timezone

from reports.models import RenderedPdf


class Command(BaseCommand):
    help = "Usuwa PDF-y przygotowane w tle starsze niż podana liczba dni (to pamięć podręczna, nie dokumenty)."

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=30, help="wiek w dniach (domyślnie 30)")

    def handle(self, *args, days: int, **options):
        old = RenderedPdf.objects.filter(created_at__lt=timezone.now() - timedelta(days=days))
        count = 0
        for document in old.iterator():
            for stored in (document.html, document.pdf):
                if stored:
                    stored.delete(save=False)
            document.delete()
            count += 1
        self.stdout.write(f"Usunięto {count} PDF(-ów) przygotowanych w tle, starszych niż {days} dni.")
