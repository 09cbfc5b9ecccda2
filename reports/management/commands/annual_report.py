"""``python manage.py annual_report --programme <id> --output report.pdf``: the year-end report as PDF."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from programmes.models import Programme
from reports.annual import annual_report
from reports.pdf import render_pdf


class Command(BaseCommand):
    help = "Zapisuje sprawozdanie z realizacji programu współpracy do pliku PDF."

    def add_arguments(self, parser):
        parser.add_argument("--programme", type=int, required=True, help="identyfikator programu")
        parser.add_argument("--output", required=True, help="plik PDF do zapisania")

    def handle(self, *args, programme: int, output: str, **options):
        try:
            chosen = Programme.objects.select_related("authority").get(pk=programme)
        except Programme.DoesNotExist as error:
            raise CommandError(f"Nie ma programu o identyfikatorze {programme}.") from error
        pdf = render_pdf("reports/annual_report_pdf.html", annual_report(chosen))
        Path(output).write_bytes(pdf)
        self.stdout.write(self.style.SUCCESS(f"Zapisano {output} ({len(pdf) // 1024} KB): {chosen.title}."))
