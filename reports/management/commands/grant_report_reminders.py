"""Daily: e-mail organisations whose final report is due within a week or is overdue (art. 18 ust. 1)."""

from django.conf import settings
from django.core.management.base import BaseCommand

from grants.services.grant_reports import send_reminders


class Command(BaseCommand):
    help = "Wysyła przypomnienia o terminie sprawozdań końcowych (7 dni przed terminem i po jego upływie)."

    def add_arguments(self, parser):
        parser.add_argument("--days-before", type=int, default=7)

    def handle(self, *args, days_before: int, **options):
        sent = send_reminders(days_before=days_before, site=settings.SITE_URL)
        self.stdout.write(self.style.SUCCESS(f"Wysłano przypomnień: {sent}."))
