"""Daily (cron, at ``NOTIFICATION_DIGEST_HOUR``): deadline reminders, then the daily digests. Safe to run again."""

from django.core.management.base import BaseCommand

from accounts.notifications.reminders import reminders_send
from accounts.notifications.services import digests_enqueue


class Command(BaseCommand):
    help = "Wysyła przypomnienia o terminach i dzienne zestawienia powiadomień (przez kolejkę zadań)."

    def add_arguments(self, parser):
        parser.add_argument("--days-before", type=int, default=None, help="ile dni przed terminem przypominać")

    def handle(self, *args, days_before: int | None, **options):
        counts = reminders_send(days=days_before)
        digests = digests_enqueue()
        summary = ", ".join(f"{kind}: {count}" for kind, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Przypomnienia ({summary}); zestawienia w kolejce: {digests}."))
