"""Daily (cron, at ``NOTIFICATION_DIGEST_HOUR``): deadline reminders, the daily digests, and another try of every
e-mail whose send failed (``tasks.emails_retry``). Safe to run again."""

from django.core.management.base import BaseCommand

from accounts.notifications.reminders import reminders_send
from accounts.notifications.services import digests_enqueue
from accounts.notifications.tasks import emails_retry


class Command(BaseCommand):
    help = (
        "Wysyła przypomnienia o terminach i dzienne zestawienia powiadomień oraz ponawia nieudane wysyłki e-maili "
        "(przez kolejkę zadań)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days-before", type=int, default=None, help="ile dni przed terminem przypominać")

    def handle(self, *args, days_before: int | None, **options):
        counts = reminders_send(days=days_before)
        digests = digests_enqueue()
        retried = emails_retry()
        summary = ", ".join(f"{kind}: {count}" for kind, count in counts.items())
        self.stdout.write(
            self.style.SUCCESS(
                f"Przypomnienia ({summary}); zestawienia w kolejce: {digests}; ponowione e-maile: {retried}."
            )
        )
