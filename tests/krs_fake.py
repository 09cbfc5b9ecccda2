"""A local stand-in for the public KRS API: a threaded ``http.server`` on 127.0.0.1 serving ``OdpisAktualny``
documents of the register's shape, 404s, a slow answer and a broken one – the client is tested against real HTTP."""

import json
import threading
import time
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

FOUND_KRS = "0000123456"
COMPANY_KRS = "0000654321"  # only in the register of entrepreneurs (P)
MISSING_KRS = "0000000404"
SLOW_KRS = "0000000777"
BROKEN_KRS = "0000000500"
SLOW_SECONDS = 1.5


def extract(krs: str = FOUND_KRS, register: str = "RejS", **entity) -> dict:
    """An ``OdpisAktualny`` document as the register sends it (capitals, REGON padded to 14 digits)."""
    return {
        "odpis": {
            "rodzaj": "Aktualny",
            "naglowekA": {
                "rejestr": register,
                "numerKRS": krs,
                "dataCzasOdpisu": "01.12.2026 10:15:00",
                "stanZDnia": "01.12.2026",
                "dataRejestracjiWKRS": "14.03.2004",
                "numerOstatniegoWpisu": 12,
            },
            "dane": {
                "dzial1": {
                    "danePodmiotu": {
                        "formaPrawna": entity.get("form", "STOWARZYSZENIE"),
                        "identyfikatory": {"regon": "14512345700000", "nip": "5213000009"},
                        "nazwa": entity.get("name", "STOWARZYSZENIE PRZYJACIÓŁ ZIEMI KOZIELSKIEJ „ODRA”"),
                        "czyProwadziDzialalnoscZInnymiPodmiotami": False,
                        "czyPosiadaStatusOPP": True,
                    },
                    "siedzibaIAdres": {
                        "siedziba": {
                            "kraj": "POLSKA",
                            "wojewodztwo": "OPOLSKIE",
                            "powiat": "KĘDZIERZYŃSKO-KOZIELSKI",
                            "gmina": "KĘDZIERZYN-KOŹLE",
                            "miejscowosc": "KĘDZIERZYN-KOŹLE",
                        },
                        "adres": {
                            "ulica": "UL. JANA PAWŁA II",
                            "nrDomu": "12",
                            "nrLokalu": "3",
                            "miejscowosc": "KĘDZIERZYN-KOŹLE",
                            "kodPocztowy": "47-200",
                            "poczta": "KĘDZIERZYN-KOŹLE",
                            "kraj": "POLSKA",
                        },
                    },
                },
                "dzial2": {
                    "reprezentacja": {
                        "nazwaOrganu": "ZARZĄD",
                        "sposobReprezentacji": "DO SKŁADANIA OŚWIADCZEŃ WOLI W IMIENIU STOWARZYSZENIA WYMAGANE JEST "
                        "WSPÓŁDZIAŁANIE DWÓCH CZŁONKÓW ZARZĄDU, W TYM PREZESA LUB WICEPREZESA.",
                        "sklad": [
                            {
                                "nazwisko": {"nazwiskoICzlon": "NOWAK", "nazwiskoIICzlon": "KOWALSKA"},
                                "imiona": {"imie": "ANNA", "imieDrugie": "MARIA"},
                                "identyfikator": {"pesel": "7**********"},
                                "funkcjaWOrganie": "PREZES ZARZĄDU",
                                "czyZawieszona": False,
                            },
                            {
                                "nazwisko": {"nazwiskoICzlon": "WIŚNIEWSKI"},
                                "imiona": {"imie": "PIOTR"},
                                "identyfikator": {"pesel": "8**********"},
                                "funkcjaWOrganie": "SKARBNIK",
                                "czyZawieszona": False,
                            },
                            {
                                "nazwisko": {"nazwiskoICzlon": "ZAWIESZONY"},
                                "imiona": {"imie": "JAN"},
                                "funkcjaWOrganie": "CZŁONEK ZARZĄDU",
                                "czyZawieszona": True,
                            },
                        ],
                    },
                    "organNadzoru": [{"nazwa": "KOMISJA REWIZYJNA"}],
                },
            },
        }
    }


class Handler(BaseHTTPRequestHandler):
    documents: dict = {}

    def log_message(self, *args):  # keep the test output clean
        pass

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        self.server.requests.append((url.path, query.get("rejestr", [""])[0]))
        number = url.path.rsplit("/", 1)[-1]
        register = query.get("rejestr", [""])[0]
        if not url.path.startswith("/api/krs/OdpisAktualny/") or query.get("format") != ["json"]:
            return self._send(400, b"{}")
        if number == SLOW_KRS:
            time.sleep(SLOW_SECONDS)
            return self._send(200, json.dumps(extract(number)).encode())
        if number == BROKEN_KRS:
            return self._send(200, b'{"odpis": {"rodzaj": "Aktualny", "dane": ')
        document = self.server.documents.get((number, register))
        if document is None:
            return self._send(404, b"")
        return self._send(200, json.dumps(document, ensure_ascii=False).encode())

    def _send(self, status: int, body: bytes):
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        with suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)


@contextmanager
def fake_krs():
    """Serve the fake register; yields its base URL (what ``KRS_API_URL`` is set to) and the server."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.requests = []
    server.documents = {
        (FOUND_KRS, "S"): extract(),
        (COMPANY_KRS, "P"): extract(
            COMPANY_KRS, "RejP", form="SPÓŁKA Z OGRANICZONĄ ODPOWIEDZIALNOŚCIĄ", name="SPORT NON-PROFIT SP. Z O.O."
        ),
    }
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/api/krs", server
    finally:
        server.shutdown()
        server.server_close()
