"""A thread is the correspondence of one case: an offer, an agreement or a grant report.

``thread_get`` finds the case by the kind and id in the URL and says which side the person writes for: the
organisation (its members) or the office (staff of the case's authority, superusers). Anyone else gets a 404, so an
id in a URL reaches no other organisation's correspondence.
"""

from dataclasses import dataclass

from django.http import Http404
from django.urls import reverse

from accounts.roles import roles_of
from grants.models import Agreement, GrantReport, Offer

from .models import Side

KINDS = {"oferta": "offer", "umowa": "agreement", "sprawozdanie": "grant_report"}


@dataclass
class Thread:
    kind: str  # the URL word: oferta / umowa / sprawozdanie
    field: str  # Message's foreign key
    obj: object
    organisation: object
    authority_id: int
    title: str
    label: str

    def url(self) -> str:
        return reverse("correspondence:thread", args=[self.kind, self.obj.pk])

    def case_url(self, side: str) -> str:
        """The case's own page for this side."""
        obj = self.obj
        if self.field == "offer":
            if side == Side.OFFICE:
                name = "grants:offer-review" if obj.call_id else "grants:small-grant-case"
            else:
                name = "grants:offer-edit" if obj.call_id else "grants:small-grant-edit"
            return reverse(name, args=[obj.pk])
        if self.field == "agreement":
            return reverse("grants:agreement-detail", args=[obj.pk])
        if side == Side.OFFICE:
            return reverse("grants:settlement", args=[obj.agreement_id])
        return reverse("grants:grant-report-edit", args=[obj.pk])


def _offer_thread(pk: int) -> Thread:
    offer = (
        Offer.objects.select_related("organisation", "call", "direct")
        .filter(current_version__isnull=False, pk=pk)
        .first()
    )
    if offer is None:  # a draft never submitted is the organisation's own; the office does not see it yet
        raise Http404
    authority_id = (
        offer.call.authority_id if offer.call_id else getattr(getattr(offer, "direct", None), "authority_id", None)
    )
    if authority_id is None:
        raise Http404
    title = offer.title or "(bez tytułu)"
    label = f"oferta „{title}”" + (f" (konkurs {offer.call.number})" if offer.call_id else "")
    return Thread("oferta", "offer", offer, offer.organisation, authority_id, title, label)


def _agreement_thread(pk: int) -> Thread:
    agreement = Agreement.objects.select_related("organisation").filter(pk=pk).first()
    if agreement is None:
        raise Http404
    return Thread(
        "umowa",
        "agreement",
        agreement,
        agreement.organisation,
        agreement.authority_id,
        agreement.title,
        f"umowa {agreement.number}",
    )


def _report_thread(pk: int) -> Thread:
    report = GrantReport.objects.select_related("agreement__organisation").filter(pk=pk).first()
    if report is None:
        raise Http404
    agreement = report.agreement
    return Thread(
        "sprawozdanie",
        "grant_report",
        report,
        agreement.organisation,
        agreement.authority_id,
        agreement.title,
        f"{report.get_kind_display()} – umowa {agreement.number}",
    )


LOADERS = {"oferta": _offer_thread, "umowa": _agreement_thread, "sprawozdanie": _report_thread}


def side_of(request, thread: Thread) -> str | None:
    roles = roles_of(request)
    if thread.organisation.pk in roles.organisation_ids:
        return Side.ORGANISATION
    if roles.superuser or thread.authority_id in roles.staff_authority_ids:
        return Side.OFFICE
    return None


def thread_get(request, kind: str, pk: int) -> tuple[Thread, str]:
    """The thread and the side the person writes for; 404 for anyone who is neither party."""
    if kind not in LOADERS or not request.user.is_authenticated:
        raise Http404
    thread = LOADERS[kind](pk)
    side = side_of(request, thread)
    if side is None:
        raise Http404
    return thread, side


def thread_of_message(message) -> Thread:
    for kind, field in KINDS.items():
        if getattr(message, f"{field}_id"):
            return LOADERS[kind](getattr(message, f"{field}_id"))
    raise Http404
