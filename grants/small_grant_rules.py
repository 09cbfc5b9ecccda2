"""The rules of the simplified offer (art. 19a) and the own-initiative offer (art. 12), and the four limits.

``simplified_offer_problems`` is what ``checks.offer_problems`` answers for offers outside calls; ``limit_problems``
is checked when the offer is filed and again, under the programme row's lock, when the grant is awarded.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.db.models import Min, Sum
from django.utils import timezone

from config.polish import format_money, format_percent
from programmes.models import Programme
from programmes.rules import ShareCap, binding_share_cap

from .models import Award, Offer, SmallGrantLimits
from .models.small_grants import office_due, received_on

HUNDRED = Decimal("100")
CENT = Decimal("0.01")


def programme_for(authority_id: int, year: int) -> Programme | None:
    """The cooperation programme of the authority covering ``year`` (past its internal draft)."""
    return (
        Programme.objects.filter(authority_id=authority_id, year_from__lte=year, year_to__gte=year)
        .exclude(status=Programme.Status.DRAFT)
        .with_total()
        .order_by("-year_from", "-pk")
        .first()
    )


def planned_grants(programme: Programme) -> Decimal:
    """Grants planned in the budget year: the programme's budget lines and its small-grant reserve, per year."""
    total = getattr(programme, "planned_total", None)
    if total is None:
        total = programme.budget_lines.aggregate(total=Sum("planned_amount", default=Decimal("0")))["total"]
    years = programme.year_to - programme.year_from + 1
    return ((total + programme.small_grants_reserve) / years).quantize(CENT)


def small_grant_cap(programme: Programme, share_pct: Decimal) -> Decimal:
    return (planned_grants(programme) * share_pct / HUNDRED).quantize(CENT)


def share_cap(programme: Programme, limits) -> ShareCap | None:
    """The cap on the share of small grants in the budget year: the statutory one in ``limits`` (art. 19a ust. 7,
    where the dated limits carry one) or the programme's own rule, whichever is stricter; ``None`` when neither."""
    return binding_share_cap(programme, limits)


def _granted(authority_id: int, year: int, exclude_offer_id: int | None = None):
    awards = Award.objects.filter(
        status=Award.Status.GRANTED,
        offer__kind=Offer.Kind.SMALL_GRANT,
        offer__direct__authority_id=authority_id,
        offer__direct__year=year,
    )
    return awards.exclude(offer_id=exclude_offer_id) if exclude_offer_id else awards


def granted_total(authority_id: int, year: int, exclude_offer_id: int | None = None) -> Decimal:
    return _granted(authority_id, year, exclude_offer_id).aggregate(total=Sum("amount", default=Decimal("0")))["total"]


def organisation_granted(authority_id: int, organisation_id: int, year: int, exclude_offer_id=None) -> Decimal:
    return (
        _granted(authority_id, year, exclude_offer_id)
        .filter(offer__organisation_id=organisation_id)
        .aggregate(total=Sum("amount", default=Decimal("0")))["total"]
    )


def organisation_totals(authority_id: int, year: int, limit: Decimal) -> list[dict]:
    """Each organisation's small grants in the year with the room left under ``limit``, largest first (one query)."""
    rows = list(
        _granted(authority_id, year)
        .values("offer__organisation_id", "offer__organisation__name")
        .annotate(total=Sum("amount"))
        .order_by("-total", "offer__organisation__name")
    )
    for row in rows:
        row["remaining"] = limit - row["total"]
    return rows


def cap_gauge(authority_id: int, year: int, on: date) -> dict:
    """The share of small grants in the budget year: planned grants, granted so far and, where the act or the
    programme sets a cap, the cap and the room left. Without a cap the share is still shown, as an indicator."""
    limits = SmallGrantLimits.objects.on(on)
    programme = programme_for(authority_id, year)
    granted = granted_total(authority_id, year)
    if programme is None:
        return {"year": year, "programme": None, "limits": limits, "granted": granted}
    planned = planned_grants(programme)
    share = (granted / planned * HUNDRED).quantize(CENT) if planned else None
    binding = share_cap(programme, limits)
    if binding is None:
        return {
            "year": year,
            "programme": programme,
            "limits": limits,
            "planned": planned,
            "granted": granted,
            "share_pct": share,
            "cap_rule": None,
        }
    cap = small_grant_cap(programme, binding.pct)
    return {
        "year": year,
        "programme": programme,
        "limits": limits,
        "planned": planned,
        "share_pct": share,
        "cap_rule": binding,
        "cap": cap,
        "granted": granted,
        "remaining": cap - granted,
        "used_pct": (granted / cap * HUNDRED).quantize(CENT) if cap else Decimal("0"),
    }


def limit_problems(
    *,
    authority_id: int,
    organisation_id: int,
    amount: Decimal,
    start: date | None,
    end: date | None,
    on: date,
    exclude_offer_id: int | None = None,
) -> dict[str, list[str]]:
    """The four limits of art. 19a (ust. 1, 6, 7) for a grant of ``amount`` to a task from ``start`` to ``end``."""
    problems: dict[str, list[str]] = defaultdict(list)
    limits = SmallGrantLimits.objects.on(on)
    if amount > limits.max_grant:
        problems["grant_amount"].append(
            f"Mała dotacja może wynieść najwyżej {format_money(limits.max_grant)} (art. 19a ust. 1 ustawy); "
            f"wnioskowana kwota to {format_money(amount)}."
        )
    if start and end and end >= start:
        days = (end - start).days + 1
        if days > limits.max_days:
            problems["end_date"].append(
                f"Zadanie w trybie małych dotacji trwa najwyżej {limits.max_days} dni; od {start:%d.%m.%Y} do "
                f"{end:%d.%m.%Y} to {days} dni."
            )
        if start.year != end.year:
            problems["end_date"].append(
                f"Dotację wykorzystuje się w roku budżetowym: zakończ zadanie do 31.12.{start.year}."
            )
    if start is None:
        return dict(problems)
    year = start.year
    so_far = organisation_granted(authority_id, organisation_id, year, exclude_offer_id)
    if so_far + amount > limits.max_per_organisation_year:
        problems["grant_amount"].append(
            f"Organizacja otrzymała już w {year} r. {format_money(so_far)} w trybie małych dotacji; razem z tą "
            f"kwotą byłoby {format_money(so_far + amount)}, a limit na rok wynosi "
            f"{format_money(limits.max_per_organisation_year)} (art. 19a ust. 6)."
        )
    programme = programme_for(authority_id, year)
    if programme is None:
        if limits.max_share_pct is not None:
            problems["__all__"].append(
                f"Brak programu współpracy na rok {year}: nie da się ustalić limitu małych dotacji (art. 19a ust. 7)."
            )
        return dict(problems)
    binding = share_cap(programme, limits)
    if binding is None:
        return dict(problems)
    cap = small_grant_cap(programme, binding.pct)
    granted = granted_total(authority_id, year, exclude_offer_id)
    if granted + amount > cap:
        problems["grant_amount"].append(
            f"Małe dotacje w {year} r. nie mogą przekroczyć {format_percent(binding.pct)} dotacji "
            f"planowanych w roku budżetowym ({binding.source}), czyli {format_money(cap)}; przyznano już "
            f"{format_money(granted)}, zostało {format_money(max(cap - granted, Decimal('0')))}."
        )
    return dict(problems)


def simplified_offer_problems(offer: Offer) -> dict[str, list[str]]:
    """What stops a small-grant or own-initiative offer from being filed (keys are fields, "__all__" the offer)."""
    problems: dict[str, list[str]] = defaultdict(list)
    small_grant = offer.kind == Offer.Kind.SMALL_GRANT
    required = [
        ("contact_name", "Podaj osobę upoważnioną do składania wyjaśnień dotyczących oferty."),
        ("title", "Podaj tytuł zadania publicznego."),
        ("synopsis", "Opisz zadanie publiczne (miejsce, grupa docelowa, potrzeby)."),
    ]
    if small_grant:
        required += [
            ("start_date", "Podaj datę rozpoczęcia zadania."),
            ("end_date", "Podaj datę zakończenia zadania."),
            ("results_description", "Opisz zakładane rezultaty."),
        ]
    for field, message in required:
        if not getattr(offer, field):
            problems[field].append(message)
    items = list(offer.cost_items.all())
    if not items:
        problems["cost_items"].append("Kalkulacja kosztów jest pusta: dodaj co najmniej jeden koszt.")
    totals = offer.cost_totals()
    if small_grant:
        from_grant = sum((item.from_grant or Decimal("0") for item in items), start=Decimal("0"))
        for item in items:
            if (item.from_grant or Decimal("0")) > item.total:
                problems["cost_items"].append(
                    f"Koszt „{item.name}”: część z dotacji ({format_money(item.from_grant)}) przekracza jego "
                    f"wartość ({format_money(item.total)})."
                )
        if from_grant != offer.grant_amount:
            problems["grant_amount"].append(
                f"Suma kosztów pokrywanych z dotacji ({format_money(from_grant)}) musi być równa wnioskowanej "
                f"dotacji ({format_money(offer.grant_amount)})."
            )
        if offer.grant_amount <= 0:
            problems["grant_amount"].append("Wskaż, które koszty ma pokryć dotacja.")
        if offer.sources_total != totals["total"]:
            problems["own_financial"].append(
                f"Dotacja, wkład własny i świadczenia odbiorców ({format_money(offer.sources_total)}) muszą "
                f"pokrywać wszystkie koszty ({format_money(totals['total'])})."
            )
        if offer.start_date and offer.end_date and offer.end_date < offer.start_date:
            problems["end_date"].append("Data zakończenia nie może poprzedzać daty rozpoczęcia.")
        direct = getattr(offer, "direct", None)
        if direct is not None:
            for field, messages in limit_problems(
                authority_id=direct.authority_id,
                organisation_id=offer.organisation_id,
                amount=offer.grant_amount,
                start=offer.start_date,
                end=offer.end_date,
                on=timezone.localdate(),
                exclude_offer_id=offer.pk,
            ).items():
                problems[field].extend(messages)
        if not offer.declarations_confirmed or not offer.tax_arrears or not offer.social_insurance_arrears:
            problems["declarations_confirmed"].append("Złóż oświadczenia oferty.")
    return dict(problems)


def direct_offer_deadlines(offers, today: date) -> list[dict]:
    """Each waiting offer with its deadline: publication within 7 working days (art. 19a ust. 3) or the answer to
    an own-initiative offer within a month (art. 12 ust. 2). ``offers`` carry ``first_submitted_at``."""
    rows = []
    for offer in offers:
        received = received_on(offer)
        if received is None:
            continue
        due = office_due(offer, received)
        rows.append(
            {
                "offer": offer,
                "received": received,
                "due": due,
                "what": "publikacja oferty (art. 19a ust. 3)"
                if offer.kind == Offer.Kind.SMALL_GRANT
                else "odpowiedź oferentowi (art. 12 ust. 2)",
                "overdue": due < today,
            }
        )
    return sorted(rows, key=lambda row: row["due"])


def waiting_direct_offers(authority_ids):
    """Submitted offers outside calls still waiting for the office (not published, not assessed)."""
    offers = Offer.objects.filter(
        kind__in=[Offer.Kind.SMALL_GRANT, Offer.Kind.OWN_INITIATIVE], status=Offer.Status.SUBMITTED
    )
    if authority_ids is not None:
        offers = offers.filter(direct__authority_id__in=authority_ids)
    return offers.select_related("organisation").annotate(first_submitted_at=Min("versions__submitted_at"))


def overdue_direct_offers(authority_ids, today: date) -> list[dict]:
    return [row for row in direct_offer_deadlines(waiting_direct_offers(authority_ids), today) if row["overdue"]]
