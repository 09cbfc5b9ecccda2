"""The checks the offer form does for the NGO: sums, limits, dates, areas, attachments.

``offer_problems`` returns messages keyed by the field they concern ("__all__" for the whole offer). A draft
may have problems; a submission may not. Every rule here mirrors the official form or the announcement.
"""

from collections import defaultdict
from decimal import Decimal

from config.polish import format_money, format_percent

from .models import CostItem, Mode, Offer
from .small_grant_rules import simplified_offer_problems

HUNDRED = Decimal("100")


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole * HUNDRED).quantize(Decimal("0.01")) if whole else Decimal("0")


TYPED_INPUT_PROBLEM = (
    "W wersji roboczej są pola do poprawy (zaznaczone w formularzu): popraw je i zapisz, zanim złożysz ofertę."
)


def offer_problems(offer: Offer) -> dict[str, list[str]]:
    problems = _content_problems(offer)
    if offer.typed_input:
        # What is saved in the fields is not all that was typed: the form still shows fields to correct.
        problems["__all__"] = [TYPED_INPUT_PROBLEM, *problems.get("__all__", [])]
    return problems


def _content_problems(offer: Offer) -> dict[str, list[str]]:
    if offer.kind != Offer.Kind.OPEN_CALL:
        return simplified_offer_problems(offer)  # art. 19a and art. 12 offers have their own, shorter form
    problems: dict[str, list[str]] = defaultdict(list)
    call = offer.call
    totals = offer.cost_totals()
    total = totals["total"]
    activities = {activity.number for activity in offer.activities.all()}

    # Required content of sections II–IV.
    for field, message in [
        ("contact_name", "Podaj osobę upoważnioną do składania wyjaśnień dotyczących oferty."),
        ("title", "Podaj tytuł zadania publicznego."),
        ("start_date", "Podaj datę rozpoczęcia zadania."),
        ("end_date", "Podaj datę zakończenia zadania."),
        ("synopsis", "Opisz syntetycznie zadanie (miejsce, grupa docelowa, potrzeby)."),
        ("results_description", "Opisz zakładane rezultaty."),
        ("previous_activity", "Opisz wcześniejszą działalność organizacji."),
        ("resources", "Opisz zasoby kadrowe, rzeczowe i finansowe."),
    ]:
        if not getattr(offer, field):
            problems[field].append(message)
    if not activities:
        problems["activities"].append("Dodaj co najmniej jedno działanie do planu i harmonogramu (III.4).")
    if not offer.results.exists():
        problems["results"].append("Dodaj co najmniej jeden rezultat z wartością docelową (III.6).")

    # V.A: every delivery cost belongs to an activity; administrative costs have none.
    items = list(offer.cost_items.all())
    if not items:
        problems["cost_items"].append("Zestawienie kosztów (V.A) jest puste.")
    for item in items:
        if item.category == CostItem.Category.DELIVERY and item.activity_number not in activities:
            problems["cost_items"].append(
                f"Koszt „{item.name}” wskazuje działanie nr {item.activity_number or '—'}, którego nie ma w III.4."
            )

    # V.B: sources add up to the V.A total.
    sources = offer.sources_total
    if sources != total:
        problems["grant_amount"].append(
            f"Suma źródeł finansowania (V.B: {format_money(sources)}) musi być równa sumie kosztów "
            f"(V.A: {format_money(total)}). Różnica: {format_money(total - sources)}."
        )
    # V.C: joint offerors' shares add up to the total too.
    partners = list(offer.partners.select_related("organisation"))
    if partners:
        lead_share = total - sum((p.cost_share for p in partners), start=Decimal("0"))
        if lead_share < 0:
            problems["partners"].append(
                f"Suma kosztów po stronie partnerów (V.C) przekracza sumę kosztów zadania ({format_money(total)})."
            )
        for partner in partners:
            if partner.confirmed_at is None:
                problems["partners"].append(
                    f"Organizacja „{partner.organisation.name}” nie potwierdziła jeszcze udziału w ofercie wspólnej – "
                    "potwierdza go jej administrator w portalu (wysłaliśmy mu e-mail z prośbą)."
                )
        if not offer.joint_roles:
            problems["joint_roles"].append("W ofercie wspólnej opisz podział działań i sposób reprezentacji (VI.2).")

    if call is not None:
        if offer.grant_amount < call.min_grant or offer.grant_amount > call.max_grant:
            problems["grant_amount"].append(
                f"Wnioskowana dotacja musi mieścić się w granicach z ogłoszenia: od {format_money(call.min_grant)} "
                f"do {format_money(call.max_grant)}."
            )
        if offer.mode == Mode.SUPPORT and call.min_own_contribution_pct:
            own = offer.own_contribution
            required = (total * call.min_own_contribution_pct / HUNDRED).quantize(Decimal("0.01"))
            if own < required:
                problems["own_financial"].append(
                    f"Wkład własny ({format_money(own)}, {format_percent(_pct(own, total))}) jest niższy niż "
                    f"wymagane w ogłoszeniu {format_percent(call.min_own_contribution_pct)} kosztów "
                    f"({format_money(required)})."
                )
        cap = (total * call.admin_cost_cap_pct / HUNDRED).quantize(Decimal("0.01"))
        if totals["admin"] > cap:
            problems["cost_items"].append(
                f"Koszty administracyjne ({format_money(totals['admin'])}) przekraczają limit z ogłoszenia: "
                f"{format_percent(call.admin_cost_cap_pct)} kosztów, czyli {format_money(cap)}."
            )
        if offer.start_date and offer.start_date < call.delivery_start:
            problems["start_date"].append(
                f"Zadanie może się rozpocząć najwcześniej {call.delivery_start:%d.%m.%Y} (ogłoszenie konkursu)."
            )
        if offer.end_date and offer.end_date > call.delivery_end:
            problems["end_date"].append(
                f"Zadanie musi się zakończyć najpóźniej {call.delivery_end:%d.%m.%Y} (ogłoszenie konkursu)."
            )
        # UFP art. 221 ust. 3 pkt 3: a grant is used within the budget year – unless the call is for a task longer
        # than a year (its window spans years): a multi-year agreement, up to five years (art. 16 ust. 3).
        multi_year_call = call.delivery_end.year > call.delivery_start.year
        if offer.start_date and offer.end_date and offer.start_date.year != offer.end_date.year:
            if not multi_year_call:
                problems["end_date"].append(
                    f"Dotację wykorzystuje się w roku budżetowym: zakończ zadanie do 31.12.{offer.start_date.year}."
                )
            elif offer.end_date.year - offer.start_date.year > 4:
                problems["end_date"].append("Umowę wieloletnią zawiera się najwyżej na 5 lat (art. 16 ust. 3 ustawy).")
        # Art. 11 ust. 1: statutory activity in the task's field.
        call_areas = {area.pk for area in call.task_areas.all()}
        org_areas = {area.pk for area in offer.organisation.areas.all()}
        if call_areas and not call_areas & org_areas:
            problems["__all__"].append(
                "Organizacja nie prowadzi działalności statutowej w sferze zadania z ogłoszenia (art. 11 ust. 1 "
                "ustawy). Uzupełnij sfery działalności w danych organizacji, jeśli statut je obejmuje."
            )
        attached = {a.required_id for a in offer.attachments.all()}
        for required in call.required_attachments.all():
            if required.pk not in attached:
                problems["attachments"].append(f"Brak wymaganego załącznika: {required.name}.")
    if offer.start_date and offer.end_date and offer.end_date < offer.start_date:
        problems["end_date"].append("Data zakończenia nie może poprzedzać daty rozpoczęcia.")
    if not offer.declarations_confirmed or not offer.tax_arrears or not offer.social_insurance_arrears:
        problems["declarations_confirmed"].append("Złóż oświadczenia z części VII oferty.")
    return dict(problems)


def sources_table(offer: Offer, totals: dict | None = None) -> list[tuple[str, str, Decimal, Decimal]]:
    """V.B rows as on the form: number, label, amount and share of the total cost."""
    total = (totals or offer.cost_totals())["total"]
    rows = [
        ("1", "Suma wszystkich kosztów realizacji zadania", total),
        ("2", "Planowana dotacja w ramach niniejszej oferty", offer.grant_amount),
        ("3", "Wkład własny", offer.own_contribution),
        ("3.1", "Wkład własny finansowy", offer.own_financial),
        ("3.2", "Wkład własny niefinansowy (osobowy i rzeczowy)", offer.own_personal + offer.own_in_kind),
        ("4", "Świadczenia pieniężne od odbiorców zadania", offer.recipient_payments),
    ]
    return [(number, label, amount, _pct(amount, total)) for number, label, amount in rows]
