"""CSV export of a call's offers for the office."""

from config.polish import format_number as number
from reports.exports import csv_response

HEADER = [
    "Nr potwierdzenia",
    "Oferent",
    "Tytuł zadania",
    "Status",
    "Wnioskowana dotacja [zł]",
    "Koszt całkowity [zł]",
    "Złożono",
]


def _rows(offers):
    for offer in offers.iterator(chunk_size=500):
        version = offer.current_version
        yield [
            version.receipt_number if version else "",
            offer.organisation.name,
            offer.title,
            offer.get_status_display(),
            number(version.grant_amount, 2).replace("\xa0", "") if version else "",
            number(version.total_cost, 2).replace("\xa0", "") if version else "",
            version.submitted_at.strftime("%d.%m.%Y %H:%M") if version else "",
        ]


def call_offers_csv_response(call, offers):
    return csv_response(filename=f"oferty-{call.number.replace('/', '-')}.csv", header=HEADER, rows=_rows(offers))
