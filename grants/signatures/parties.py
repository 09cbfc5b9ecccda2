"""Whose document an issued document is: the organisation and the authority that are its parties, and who of
them may upload a signed copy or read the results. One place for every kind, used by views and services alike."""

from dataclasses import dataclass

from accounts.roles import roles_of
from config.tenancy import current_authority

from .models import IssuedDocument

Kind = IssuedDocument.Kind
SIGNABLE = {Kind.OFFER, Kind.AGREEMENT, Kind.GRANT_REPORT}


@dataclass
class Parties:
    organisation: object | None
    authority_id: int | None
    subject: object | None  # the offer, agreement or report
    offer: object | None = None
    agreement: object | None = None


def parties_of(document: IssuedDocument) -> Parties:
    from grants.models import Agreement, GrantReport, Offer

    if document.kind in (Kind.OFFER, Kind.RECEIPT):
        offer = Offer.objects.select_related("organisation", "call", "direct").filter(pk=document.object_id).first()
        if offer is None:
            return Parties(None, None, None)
        direct = getattr(offer, "direct", None) if not offer.call_id else None
        authority_id = offer.call.authority_id if offer.call_id else (direct.authority_id if direct else None)
        return Parties(offer.organisation, authority_id, offer, offer=offer)
    if document.kind == Kind.AGREEMENT:
        agreement = Agreement.objects.select_related("organisation").filter(pk=document.object_id).first()
        if agreement is None:
            return Parties(None, None, None)
        return Parties(agreement.organisation, agreement.authority_id, agreement, agreement=agreement)
    if document.kind == Kind.GRANT_REPORT:
        report = GrantReport.objects.select_related("agreement__organisation").filter(pk=document.object_id).first()
        if report is None:
            return Parties(None, None, None)
        agreement = report.agreement
        return Parties(agreement.organisation, agreement.authority_id, report, agreement=agreement)
    return Parties(None, None, None)


def party_of(request, parties: Parties) -> str | None:
    """Which side the signed-in person acts for on this document: "organisation", "authority" or None (also for
    either side inside another authority's space: the document is not that authority's)."""
    space = current_authority(request)
    if space is not None and parties.authority_id != space.pk:
        return None
    roles = roles_of(request)
    if parties.organisation is not None and parties.organisation.pk in roles.organisation_ids:
        return "organisation"
    if parties.authority_id is not None and (roles.superuser or parties.authority_id in roles.staff_authority_ids):
        return "authority"
    return None
