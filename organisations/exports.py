"""The public directory as a spreadsheet (CSV or XLSX, ``reports.exports``)."""

from reports.exports import Column, Kind, each, table_response

COLUMNS = [
    Column("Nazwa", lambda o: o.name, width=44),
    Column("Forma prawna", lambda o: o.get_legal_form_display(), width=24),
    Column("KRS / inna ewidencja", lambda o: o.registry_number, width=14),
    Column("NIP", lambda o: o.nip, width=12),
    Column("REGON", lambda o: o.regon, width=14),
    Column("Adres", lambda o: o.street, width=30),
    Column("Kod pocztowy", lambda o: o.postal_code, width=8),
    Column("Miejscowość", lambda o: o.city, width=20),
    Column("E-mail", lambda o: o.email, width=28),
    Column("Telefon", lambda o: o.phone, width=14),
    Column("Strona internetowa", lambda o: o.website, width=28),
    Column("Status OPP", lambda o: o.is_opp, width=8),
    Column("OPP od", lambda o: o.opp_since, Kind.DATE, 12),
    Column("Sfery działalności (art. 4 ust. 1)", lambda o: ", ".join(a.code for a in o.areas.all()), width=24),
    Column("Dane zweryfikowane przez urząd", lambda o: o.verified_at is not None, width=12),
]


def directory_response(organisations, fmt: str = "csv"):
    return table_response(fmt, filename="organizacje", sheet="Organizacje", columns=COLUMNS, rows=each(organisations))
