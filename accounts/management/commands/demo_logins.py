from django.core.management.base import BaseCommand

from accounts.demo import DEMO_PASSWORD, DEMO_SITES, DEMO_USERS
from accounts.models import User
from grants.demo_commission import COMMISSION_DEMO_USERS


class Command(BaseCommand):
    help = "Wypisuje loginy kont demonstracyjnych (po jednym na rolę)."

    def handle(self, *args, **options):
        self.stdout.write(f"\nKonta demonstracyjne (hasło dla wszystkich: {DEMO_PASSWORD}):")
        for email, _first, _last, role in DEMO_USERS:
            self.stdout.write(f"  {role:45} {email}")
        for email, _first, _last, _capacity, role in COMMISSION_DEMO_USERS:
            self.stdout.write(f"  {role:45} {email}")
        others = [site for site in DEMO_SITES[1:] if User.objects.filter(email=site.email("urzednik@x")).exists()]
        if others:  # seed_demo --scale region: the other authorities' people, the same names at their own domain
            self.stdout.write("\nPozostałe jednostki (skala region), te same konta w domenie jednostki:")
            for site in others:
                self.stdout.write(
                    f"  {site.authority['name']:45} {site.email('urzednik@x')}, {site.email('dyrektor@x')}"
                )
        self.stdout.write("\nPortal: http://127.0.0.1:8000/\n")
