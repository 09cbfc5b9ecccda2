"""The "Historia" tab of offers, agreements, reports and calls: read from the audit log, checked like the object."""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from accounts.history import history
from accounts.permissions import staff_required
from accounts.roles import roles_of

from ..history import agreement_targets, call_targets, offer_targets, report_targets
from ..models import GrantReport, Offer
from ..permissions import managed_calls, offers_of_my_organisations, visible_agreements


def _office_offers(request):
    roles = roles_of(request)
    if roles.superuser:
        return Offer.objects.all()
    ids = roles.staff_authority_ids
    return Offer.objects.filter(Q(call__authority_id__in=ids) | Q(direct__authority_id__in=ids))


def _page(request, *, title, heading, details_url, events, back_label="Szczegóły"):
    return render(
        request,
        "includes/history_page.html",
        {"title": title, "heading": heading, "details_url": details_url, "events": events, "back_label": back_label},
    )


def offer_history(request, pk: int):
    roles = roles_of(request)
    offer = None
    if roles.is_authority_staff:
        offer = _office_offers(request).select_related("call", "organisation").filter(pk=pk).first()
    for_office = offer is not None
    if offer is None and roles.is_ngo_member:
        offer = offers_of_my_organisations(request).select_related("call", "organisation").filter(pk=pk).first()
    if offer is None:
        raise Http404
    if for_office:
        details = reverse("grants:offer-review" if offer.call_id else "grants:small-grant-case", args=[offer.pk])
    else:
        details = reverse("grants:offer-edit" if offer.call_id else "grants:small-grant-edit", args=[offer.pk])
    events = history(
        offer_targets(offer, for_office=for_office),
        staff_as_office_for=None if for_office else roles.organisation_ids,
    )
    return _page(
        request,
        title=f"Historia oferty – {offer.title or offer.organisation.name}",
        heading=f"Oferta „{offer.title or '(bez tytułu)'}” – {offer.organisation.name}",
        details_url=details,
        events=events,
        back_label="Oferta",
    )


def agreement_history(request, pk: int):
    roles = roles_of(request)
    agreement = get_object_or_404(visible_agreements(request).select_related("organisation"), pk=pk)
    for_office = roles.superuser or agreement.authority_id in roles.staff_authority_ids
    events = history(
        agreement_targets(agreement, for_office=for_office),
        staff_as_office_for=None if for_office else roles.organisation_ids,
    )
    return _page(
        request,
        title=f"Historia umowy nr {agreement.number}",
        heading=f"Umowa nr {agreement.number} – {agreement.organisation.name}",
        details_url=reverse("grants:agreement-detail", args=[agreement.pk]),
        events=events,
        back_label="Umowa",
    )


def report_history(request, pk: int):
    roles = roles_of(request)
    report = get_object_or_404(
        GrantReport.objects.filter(agreement__in=visible_agreements(request)).select_related("agreement__organisation"),
        pk=pk,
    )
    agreement = report.agreement
    for_office = roles.superuser or agreement.authority_id in roles.staff_authority_ids
    details = (
        reverse("grants:settlement", args=[agreement.pk])
        if for_office
        else reverse("grants:grant-report-edit", args=[report.pk])
    )
    events = history(report_targets(report), staff_as_office_for=None if for_office else roles.organisation_ids)
    return _page(
        request,
        title=f"Historia sprawozdania – umowa nr {agreement.number}",
        heading=f"{report.get_kind_display().capitalize()} – umowa nr {agreement.number}, "
        f"{agreement.organisation.name}",
        details_url=details,
        events=events,
        back_label="Sprawozdanie",
    )


@staff_required
def call_history(request, pk: int):
    call = get_object_or_404(managed_calls(request), pk=pk)
    return _page(
        request,
        title=f"Historia konkursu {call.number}",
        heading=f"Konkurs {call.number} – {call.title}",
        details_url=reverse("grants:call-dashboard", args=[call.pk]),
        events=history(call_targets(call)),
        back_label="Konkurs",
    )
