"""The office's lists as spreadsheets (CSV and XLSX from one description each, ``reports.exports``).

Each export follows the filters of the page it is downloaded from and reads the rows in a fixed number of queries
(the same select/prefetch as the page), streamed in chunks.
"""

from reports.exports import Column, Kind, each, table_response

# --- offers of a call (the call dashboard) ---------------------------------------------------------------------


def _version(attribute):
    def read(offer):
        version = offer.current_version
        return getattr(version, attribute) if version else None

    return read


CALL_OFFER_COLUMNS = [
    Column("Nr potwierdzenia", _version("receipt_number"), width=18),
    Column("Oferent", lambda o: o.organisation.name, width=40),
    Column("NIP", lambda o: o.organisation.nip, width=12),
    Column("Tytuł zadania", lambda o: o.title, width=44),
    Column("Status", lambda o: o.get_status_display(), width=22),
    Column("Wnioskowana dotacja [zł]", _version("grant_amount"), Kind.MONEY, 18),
    Column("Koszt całkowity [zł]", _version("total_cost"), Kind.MONEY, 18),
    Column("Złożono", _version("submitted_at"), Kind.DATETIME, 17),
]


def call_offers_response(call, offers, fmt: str):
    return table_response(
        fmt,
        filename=f"oferty-{_slug(call.number)}",
        sheet="Oferty",
        columns=CALL_OFFER_COLUMNS,
        rows=each(offers),
    )


# --- the commission's ranking ----------------------------------------------------------------------------------

RANKING_COLUMNS = [
    Column("Miejsce", lambda r: r.place, Kind.INTEGER, 8),
    Column("Nr potwierdzenia", lambda r: _receipt(r.offer), width=18),
    Column("Oferent", lambda r: r.organisation_name, width=40),
    Column("Tytuł zadania", lambda r: r.title, width=44),
    Column("Średnia ocen [pkt]", lambda r: r.mean_score, Kind.DECIMAL, 12),
    Column("Karty (złożone/oczekiwane)", lambda r: f"{r.cards_counted}/{r.cards_expected}", width=12),
    Column("Powyżej progu", lambda r: r.eligible, width=10),
    Column("Wnioskowana dotacja [zł]", lambda r: r.requested, Kind.MONEY, 18),
    Column("Proponowana dotacja [zł]", lambda r: r.proposed_amount if r.eligible else None, Kind.MONEY, 18),
    Column("Narastająco [zł]", lambda r: r.running_total, Kind.MONEY, 18),
    Column("W ramach środków", lambda r: r.within_funds if r.eligible else None, width=10),
]


def _receipt(offer) -> str:
    return offer.current_version.receipt_number if offer.current_version else ""


def ranking_response(ranking, fmt: str):
    return table_response(
        fmt,
        filename=f"ranking-{_slug(ranking.call.number)}",
        sheet="Ranking",
        columns=RANKING_COLUMNS,
        rows=ranking.rows,
    )


# --- agreements -------------------------------------------------------------------------------------------------


def _call_number(agreement) -> str:
    call = agreement.call
    return call.number if call else "art. 19a / art. 12"


AGREEMENT_COLUMNS = [
    Column("Numer umowy", lambda a: a.number, width=16),
    Column("Zleceniobiorca", lambda a: a.organisation.name, width=40),
    Column("NIP", lambda a: a.organisation.nip, width=12),
    Column("Tytuł zadania", lambda a: a.title, width=44),
    Column("Konkurs / tryb", _call_number, width=16),
    Column("Kwota dotacji [zł]", lambda a: a.grant_amount, Kind.MONEY, 18),
    Column("Koszt całkowity [zł]", lambda a: a.total_cost, Kind.MONEY, 18),
    Column("Data rozpoczęcia", lambda a: a.start_date, Kind.DATE, 14),
    Column("Data zakończenia", lambda a: a.end_date, Kind.DATE, 14),
    Column("Data zawarcia", lambda a: a.signed_on, Kind.DATE, 14),
    Column("Status", lambda a: a.get_status_display(), width=20),
]


def agreements_response(agreements, fmt: str):
    return table_response(fmt, filename="umowy", sheet="Umowy", columns=AGREEMENT_COLUMNS, rows=each(agreements))


# --- grant reports (per agreement) ------------------------------------------------------------------------------


def _reports(agreement) -> str:
    reports = agreement.grant_reports.all()
    return "; ".join(f"{r.get_kind_display()}: {r.get_status_display()}" for r in reports) or "brak"


def _last_submitted(agreement):
    moments = [r.submitted_at for r in agreement.grant_reports.all() if r.submitted_at]
    return max(moments) if moments else None


REPORT_COLUMNS = [
    Column("Numer umowy", lambda a: a.number, width=16),
    Column("Zleceniobiorca", lambda a: a.organisation.name, width=40),
    Column("Tytuł zadania", lambda a: a.title, width=44),
    Column("Kwota dotacji [zł]", lambda a: a.grant_amount, Kind.MONEY, 18),
    Column("Data zakończenia", lambda a: a.end_date, Kind.DATE, 14),
    Column("Termin sprawozdania końcowego", lambda a: a.report_due, Kind.DATE, 14),
    Column("Sprawozdania", _reports, width=40),
    Column("Ostatnio złożono", _last_submitted, Kind.DATETIME, 17),
    Column("Status umowy", lambda a: a.get_status_display(), width=20),
]


def reports_response(agreements, fmt: str):
    return table_response(
        fmt, filename="sprawozdania", sheet="Sprawozdania", columns=REPORT_COLUMNS, rows=each(agreements, 200)
    )


# --- small grants and own-initiative offers --------------------------------------------------------------------


def _stage(offer) -> str:
    """Where an offer outside a call stands (the words of the office's list)."""
    if offer.status == "draft":
        return "wersja robocza"
    if offer.status == "withdrawn":
        return "wycofana"
    award = getattr(offer, "award", None)
    if offer.kind == offer.Kind.OWN_INITIATIVE:
        assessment = getattr(offer, "assessment", None)
        return assessment.get_outcome_display() if assessment else "złożona, czeka na ocenę celowości"
    if award and award.status == "granted":
        return "dotacja przyznana"
    if award and award.status == "refused":
        return "odmowa przyznania dotacji"
    if getattr(offer, "publication", None):
        return "opublikowana do uwag"
    return "złożona, czeka na publikację"


def _granted(offer):
    award = getattr(offer, "award", None)
    return award.amount if award and award.status == "granted" else None


SMALL_GRANT_COLUMNS = [
    Column("Nr potwierdzenia", _version("receipt_number"), width=18),
    Column("Oferent", lambda o: o.organisation.name, width=40),
    Column("Tytuł zadania", lambda o: o.title, width=44),
    Column("Tryb", lambda o: o.get_kind_display(), width=22),
    Column("Rok budżetowy", lambda o: o.direct.year or (o.start_date.year if o.start_date else None), Kind.INTEGER, 10),
    Column("Wnioskowana dotacja [zł]", _version("grant_amount"), Kind.MONEY, 18),
    Column("Przyznana dotacja [zł]", _granted, Kind.MONEY, 18),
    Column("Wpłynęła", lambda o: o.first_submitted_at, Kind.DATETIME, 17),
    Column(
        "Opublikowano",
        lambda o: o.publication.published_at if getattr(o, "publication", None) else None,
        Kind.DATETIME,
        17,
    ),
    Column("Etap", _stage, width=30),
]


def small_grants_response(offers, fmt: str):
    return table_response(
        fmt, filename="male-granty", sheet="Małe granty", columns=SMALL_GRANT_COLUMNS, rows=each(offers)
    )


def _slug(number: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in number)
