from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, DEMO_USERS
from grants.demo_commission import COMMISSION_DEMO_USERS


class Command(BaseCommand):
    help = "Wypisuje loginy kont demonstracyjnych (po jednym na rolę)."

    def handle(self, *args, **options):
        self.stdout.write(f"\nKonta demonstracyjne (hasło dla wszystkich: {DEMO_PASSWORD}):")
        for email, _first, _last, role in DEMO_USERS:
            self.stdout.write(f"  {role:45} {email}")
        for email, _first, _last, _capacity, role in COMMISSION_DEMO_USERS:
            self.stdout.write(f"  {role:45} {email}")
        self.stdout.write("\nPortal: http://127.0.0.1:8000/\n")
