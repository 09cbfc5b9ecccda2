"""CSV export of the public directory."""

from reports.exports import csv_response

COLUMNS = [
    "Nazwa",
    "Forma prawna",
    "KRS / inna ewidencja",
    "NIP",
    "REGON",
    "Adres",
    "Kod pocztowy",
    "Miejscowość",
    "E-mail",
    "Telefon",
    "Strona internetowa",
    "Status OPP",
    "OPP od",
    "Sfery działalności (art. 4 ust. 1)",
]


def _rows(organisations):
    for org in organisations.iterator(chunk_size=500):
        yield [
            org.name,
            org.get_legal_form_display(),
            org.registry_number,
            org.nip,
            org.regon,
            org.street,
            org.postal_code,
            org.city,
            org.email,
            org.phone,
            org.website,
            "tak" if org.is_opp else "nie",
            org.opp_since.strftime("%d.%m.%Y") if org.opp_since else "",
            ", ".join(area.code for area in org.areas.all()),
        ]


def directory_csv(organisations, filename: str = "organizacje.csv"):
    return csv_response(filename=filename, header=COLUMNS, rows=_rows(organisations))
