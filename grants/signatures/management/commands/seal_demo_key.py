"""A demo seal key for ``make run``: a self-signed certificate in a PKCS#12 file under var/, made once.

Only for trying the portal: a real installation configures the authority's qualified seal (or its own
certificate) in ``PDF_SEAL_PKCS12_PATH``. Documents sealed with this key verify as intact but "chain not trusted".
"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from grants.signatures.certificates import self_signed_pkcs12


class Command(BaseCommand):
    help = "Tworzy demonstracyjny klucz pieczęci (certyfikat z podpisem własnym) w var/, jeśli go nie ma."

    def add_arguments(self, parser):
        parser.add_argument("--path", default=str(Path(settings.BASE_DIR) / "var" / "demo-seal.p12"))

    def handle(self, *args, **options):
        path = Path(options["path"])
        if path.exists():
            self.stdout.write(f"Klucz pieczęci demonstracyjnej już jest: {path}")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(
            self_signed_pkcs12(
                common_name="Portal współpracy – pieczęć demonstracyjna",
                organisation="Instalacja demonstracyjna portalu",
                password=settings.PDF_SEAL_PKCS12_PASSWORD or "",
            )
        )
        path.chmod(0o600)
        self.stdout.write(f"Utworzono klucz pieczęci demonstracyjnej: {path}")
