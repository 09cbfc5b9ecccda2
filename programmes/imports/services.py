"""Saving a checked import: all rows or none, each record marked with its ``ImportBatch``, audited with who did it.

The file is checked again inside the transaction (another person may have imported the same year a moment ago), and
a single error saves nothing. Records are written directly, not through the services that enforce the act's
deadlines for live work (submission deadlines, the signature date of a new agreement, the 30 November rule for
programmes): those rules applied at the time, and what is imported is what happened.
"""

from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import acting_as
from grants.models import Agreement, AgreementBudgetLine, CallBudgetLine, Offer, OpenCall, Refund, Tranche
from organisations.models import DataSource, Organisation, PublicTaskArea
from programmes.models import Authority, BudgetLine, PriorityArea, Programme

from . import importers
from .models import ImportBatch

PREVIEWS = {
    ImportBatch.Kind.ORGANISATIONS: lambda content, name, authority: importers.preview_organisations(content, name),
    ImportBatch.Kind.PROGRAMMES: importers.preview_programmes,
    ImportBatch.Kind.AGREEMENTS: importers.preview_agreements,
}


@transaction.atomic
def import_save(*, kind: str, authority: Authority, content: bytes, file_name: str, actor) -> ImportBatch:
    """Check the file again under a lock on the authority and save every row, or raise ``ValidationError``."""
    authority = Authority.objects.select_for_update().get(pk=authority.pk)
    preview = PREVIEWS[kind](content, file_name, authority)
    if not preview.can_save:
        problems = preview.error or "; ".join(f"wiersz {r.line}: {' '.join(r.errors)}" for r in preview.errors[:5])
        raise ValidationError(problems or "W pliku nie ma nic do zaimportowania.")
    with acting_as(actor):
        batch = ImportBatch.objects.create(
            authority=authority, kind=kind, file_name=file_name[:200], row_count=len(preview.rows), created_by=actor
        )
        SAVERS[kind](preview.created, batch=batch, authority=authority, actor=actor)
    return batch


def _link(organisations, authority) -> None:
    """The organisations work with the importing authority: linked as an organisation links itself to the authorities
    it works with (``Organisation.authorities``), which the office's lists and the authority's space read."""
    Link = Organisation.authorities.through
    Link.objects.bulk_create(
        [Link(organisation_id=o.pk, authority_id=authority.pk) for o in organisations], ignore_conflicts=True
    )


def _save_organisations(rows, *, batch, authority, actor) -> None:
    created = []
    for row in rows:
        data = dict(row.data)
        areas = data.pop("areas")
        organisation = Organisation(**data, import_batch=batch, data_source=DataSource.MANUAL)
        blank = [name for name in ("email", "statutory_activity", "street", "postal_code") if not data[name]]
        organisation.full_clean(exclude=["areas", "search_name", *blank])
        organisation.save()
        organisation.areas.set(areas)
        created.append(organisation)
    _link(created, authority)


def _save_programmes(rows, *, batch, authority, actor) -> None:
    by_year: dict[int, list] = {}
    for row in rows:
        by_year.setdefault(row.data["year"], []).append(row.data)
    this_year = timezone.localdate().year
    for year, lines in sorted(by_year.items()):
        head = lines[0]
        programme = Programme.objects.create(
            authority=authority,
            title=head["title"],
            year_from=year,
            year_to=year,
            # Past years were reported on paper; the current year's programme is in force.
            status=Programme.Status.REPORTED if year < this_year else Programme.Status.IN_FORCE,
            small_grants_reserve=head["reserve"],
            resolution_number=head["resolution_number"],
            resolution_date=head["resolution_date"],
            import_batch=batch,
        )
        for line in sorted(lines, key=lambda d: d["number"]):
            area = PriorityArea.objects.create(programme=programme, number=line["number"], name=line["name"])
            area.task_areas.set(line["areas"])
            BudgetLine.objects.create(
                programme=programme,
                priority_area=area,
                number=line["number"],
                name=line["name"],
                planned_amount=line["planned_amount"],
            )


def _imported_call(data: dict, rows: list[dict], *, batch, authority) -> OpenCall:
    """A call of an earlier year named by imported agreements: recorded as finished with its results published, its
    funds being the grants of its agreements on their budget lines, and its art. 4 areas those of the lines' priority
    areas – so the "same-type tasks" of later announcements (art. 13 ust. 2 pkt 7) list it with its grants."""
    same = [d for d in rows if d["call_number"] == data["call_number"]]
    starts, ends = [d["start_date"] for d in same], [d["end_date"] for d in same]
    decided = min(d["signed_on"] for d in same)
    note = "Konkurs z lat ubiegłych – dane zaimportowane z ewidencji urzędu."
    decided_at = timezone.make_aware(datetime.combine(decided, time(0, 0)))
    call = OpenCall.objects.create(
        authority=authority,
        programme=data["programme"],
        number=data["call_number"],
        title=data["title"],
        task_description=note,
        mode=data["mode"],
        award_rules=note,
        delivery_terms=note,
        delivery_start=min(starts),
        delivery_end=max(ends),
        selection_procedure=note,
        decision_date=decided,
        max_grant=max(d["grant"] for d in same),
        submission_deadline=decided_at,
        status=OpenCall.Status.FINISHED,
        results_published_at=decided_at,
        import_batch=batch,
    )
    funds: dict = {}
    for d in same:
        if d["budget_line"] is not None:
            funds[d["budget_line"]] = funds.get(d["budget_line"], 0) + d["grant"]
    CallBudgetLine.objects.bulk_create(
        CallBudgetLine(call=call, budget_line=line, amount=amount) for line, amount in funds.items()
    )
    call.task_areas.set(
        PublicTaskArea.objects.filter(priority_areas__budget_lines__in=list(funds))
        .distinct()
        .values_list("pk", flat=True)
    )
    return call


def _save_agreements(rows, *, batch, authority, actor) -> None:
    datas = [row.data for row in rows]
    calls: dict[str, OpenCall] = {}
    for data in datas:
        call = None
        if data["kind"] == Offer.Kind.OPEN_CALL:
            call = data["call"] or calls.get(data["call_number"])
            if call is None:
                call = calls[data["call_number"]] = _imported_call(data, datas, batch=batch, authority=authority)
        grant, transferred, settled, returned = data["grant"], data["transferred"], data["settled"], data["returned"]
        settled_in_full = settled is not None and returned >= transferred - settled and transferred == grant
        agreement = Agreement(
            authority=authority,
            organisation=data["organisation"],
            number=data["number"],
            status=Agreement.Status.PERFORMED if settled_in_full else Agreement.Status.SIGNED,
            mode=data["mode"],
            title=data["title"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            grant_amount=grant,
            total_cost=grant,
            authority_representatives=authority.executive_full_name,
            organisation_representatives=data["organisation"].representatives or "—",
            place=authority.city,
            signed_on=data["signed_on"],
            created_by=actor,
            import_batch=batch,
            imported_kind=data["kind"],
            imported_call=call,
            imported_settled=settled,
        )
        agreement.take_authority_terms()
        agreement.full_clean(exclude=["award", "version", "authority", "organisation", "created_by", "imported_call"])
        agreement.save()
        # Transferred: one tranche paid in full; what was not transferred stays an unpaid tranche.
        tranches = [(transferred, data["transferred_on"])] if transferred > 0 else []
        if grant - transferred > 0:
            tranches.append((grant - transferred, None))
        Tranche.objects.bulk_create(
            Tranche(
                agreement=agreement,
                number=n,
                amount=amount,
                due_date=paid_on or data["start_date"],
                paid_on=paid_on,
                transfer_title="import" if paid_on else "",
                paid_recorded_by=actor if paid_on else None,
                paid_recorded_at=timezone.now() if paid_on else None,
            )
            for n, (amount, paid_on) in enumerate(tranches, start=1)
        )
        if returned > 0:
            Refund.objects.create(
                agreement=agreement,
                kind=Refund.Kind.UNUSED,
                amount=returned,
                paid_on=data["returned_on"],
                note="zwrot zaimportowany z lat ubiegłych",
                recorded_by=actor,
            )
        if data["budget_line"] is not None:
            AgreementBudgetLine.objects.create(
                agreement=agreement, budget_line=data["budget_line"], year=data["start_date"].year, amount=grant
            )
    # An organisation with a past agreement worked with the authority: linked to it like the ones it imported.
    _link({data["organisation"].pk: data["organisation"] for data in datas}.values(), authority)


SAVERS = {
    ImportBatch.Kind.ORGANISATIONS: _save_organisations,
    ImportBatch.Kind.PROGRAMMES: _save_programmes,
    ImportBatch.Kind.AGREEMENTS: _save_agreements,
}
