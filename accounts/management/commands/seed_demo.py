from django.core.management.base import BaseCommand

from accounts.demo import seed_people
from accounts.models import User
from grants.correspondence.demo import seed_correspondence
from grants.demo import seed_calls
from grants.demo_awards import seed_awards
from grants.demo_commission import seed_commissions
from grants.demo_local_initiative import seed_local_initiative, seed_local_initiative_reserves
from grants.demo_payments import seed_payments
from grants.demo_small_grants import seed_small_grants
from organisations.demo import seed_organisations
from programmes.demo import seed_programmes
from reports.demo import seed_reports

SCALES = {"small": 24 / 1038, "city": 1.0}


class Command(BaseCommand):
    help = "Wczytuje dane demonstracyjne (idempotentnie): --scale small (kilka) albo city (ok. 1000 organizacji)."

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--if-empty", action="store_true", help="Nic nie rób, jeśli baza ma już użytkowników.")

    def handle(self, *args, scale: str, if_empty: bool, **options):
        if if_empty and User.objects.exists():
            self.stdout.write("Baza zawiera już dane – pomijam wczytywanie danych demonstracyjnych.")
            return
        authority = seed_people()
        added = seed_organisations(SCALES[scale])
        seed_programmes(authority)
        seed_local_initiative_reserves(authority, scale)  # before the calls, which may not draw on them
        offers = seed_calls(authority, scale)
        seed_commissions(authority, scale)
        agreements = seed_awards(authority, scale)
        seed_small_grants(authority, scale)
        seed_local_initiative(authority, scale)
        seed_reports(authority, scale)
        seed_payments(authority)
        seed_correspondence(authority)
        self.stdout.write(
            self.style.SUCCESS(
                f"Dane demonstracyjne ({scale}) dla: {authority}. Nowe organizacje: {added}, nowe oferty: {offers}, "
                f"nowe umowy: {agreements}."
            )
        )
