from consultations.models import Consultation
from consultations.services import consultation_create
from tests.programmes.factories import warsaw

DRAFT = """Rozdział 1.
Postanowienia ogólne
§ 1. Ilekroć w Programie jest mowa o ustawie, należy przez to rozumieć ustawę o działalności pożytku publicznego.
Rozdział 2. Cel główny i cele szczegółowe
§ 2. 1. Celem głównym Programu jest efektywne wykonywanie zadań publicznych.
2. Celami szczegółowymi są:
1) budowanie społeczeństwa obywatelskiego,
§ 3. Program realizowany będzie od 1 stycznia do 31 grudnia 2026 r.
"""


def make_consultation(authority, *, programme=None, status=Consultation.Status.ANNOUNCED, starts=None, ends=None):
    """A consultation of S0's period by default: 11.10.2026 00:00:00 – 27.10.2026 23:59:59."""
    return consultation_create(
        actor=None,
        authority=authority,
        programme=programme,
        data={
            "title": "Projekt programu współpracy na rok 2027",
            "draft_text": DRAFT,
            "basis_resolution": "uchwała nr 519/V/46/2010 Rady Miejskiej",
            "opening_order": "zarządzenie nr 64/Or/2026",
            "starts_at": starts or warsaw(2026, 10, 11, 0, 0, 0),
            "ends_at": ends or warsaw(2026, 10, 27, 23, 59, 59),
            "channels": "formularz w portalu",
            "status": status,
        },
    )
