"""Joint offers need the partner's consent (art. 14 ust. 2 of the act: a joint offer is filed by the organisations
together). A partner named on an offer confirms its part in the portal, by one of its admins, before the offer can
be submitted; until then it is not a participant of the call for the commission's rules.

Naming a partner e-mails its admins with a link to the consent page; changing the partner's share of costs after it
confirmed asks for the consent again.
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.audit import acting_as
from accounts.models import User
from accounts.notifications.models import Notification
from accounts.notifications.services import notify
from organisations.models import Membership

from ..models import JointOfferor, Offer
from ..tasks import conflicts_check_enqueue

CONSENT_STATUSES = {Offer.Status.DRAFT, Offer.Status.SUBMITTED, Offer.Status.DEFECT_NOTICE}


def partners_sync(*, offer: Offer, partners: list[dict]) -> list[JointOfferor]:
    """Bring the offer's partners to ``partners`` under the caller's lock and audit context: keep a partner's
    consent while its share stays the same, ask again when it changes, ask every new partner. Returns the partners
    asked for consent now (their admins get an e-mail after commit)."""
    existing = {partner.organisation_id: partner for partner in offer.partners.all()}
    wanted = {row["organisation"].pk: row for row in partners}
    for organisation_id, partner in existing.items():
        if organisation_id not in wanted:
            partner.delete()
    asked = []
    for organisation_id, row in wanted.items():
        share = row.get("cost_share") or Decimal("0")
        partner = existing.get(organisation_id)
        if partner is None:
            partner = JointOfferor.objects.create(offer=offer, organisation=row["organisation"], cost_share=share)
            asked.append(partner)
        elif partner.cost_share != share:
            partner.cost_share = share
            if partner.confirmed_at is not None:
                partner.confirmed_at, partner.confirmed_by = None, None
                asked.append(partner)
            partner.save(update_fields=["cost_share", "confirmed_at", "confirmed_by"])
    for partner in asked:
        _ask_for_consent(partner)
    return asked


def _admins(organisation):
    return User.objects.filter(
        memberships__organisation=organisation, memberships__role=Membership.Role.ADMIN, is_active=True
    ).distinct()


def _tell_admins(*, organisation, template: str, context: dict, url: str) -> None:
    """The organisation's admins (they act for it in joint offers); its own mailbox when it has none."""
    admins = list(_admins(organisation))
    notify(
        kind=Notification.Kind.JOINT_OFFER,
        recipients=admins,
        template=template,
        context=context,
        url=url,
        emails=[] if admins else [organisation.email],
    )


def _ask_for_consent(partner: JointOfferor) -> None:
    _tell_admins(
        organisation=partner.organisation,
        template="grants/email/joint_consent",
        url=reverse("grants:joint-consent", args=[partner.pk]),
        context={
            "partner": partner,
            "offer": partner.offer,
            "url": settings.SITE_URL + reverse("grants:joint-consent", args=[partner.pk]),
        },
    )


def unconfirmed_partner_names(offer: Offer) -> list[str]:
    return [
        p.organisation.name for p in offer.partners.filter(confirmed_at__isnull=True).select_related("organisation")
    ]


@transaction.atomic
def joint_offeror_confirm(*, partner: JointOfferor, actor) -> JointOfferor:
    """An admin of the partner organisation confirms that it files the offer jointly, with the share shown."""
    partner = (
        JointOfferor.objects.select_for_update()
        .select_related("offer__organisation", "organisation")
        .get(pk=partner.pk)
    )
    if not Membership.objects.filter(
        organisation=partner.organisation_id, user=actor.pk, role=Membership.Role.ADMIN
    ).exists():
        raise ValidationError(f"Udział potwierdza administrator organizacji „{partner.organisation.name}”.")
    if partner.confirmed_at is not None:
        raise ValidationError("Udział w tej ofercie został już potwierdzony.")
    if partner.offer.status not in CONSENT_STATUSES:
        raise ValidationError(f"Oferta ma status „{partner.offer.get_status_display()}” – udziału nie potwierdza się.")
    with acting_as(actor):
        partner.confirmed_at, partner.confirmed_by = timezone.now(), actor
        partner.save(update_fields=["confirmed_at", "confirmed_by"])
    if partner.offer.call_id:
        conflicts_check_enqueue(partner.offer.call_id)  # the partner now takes part: its people may be in conflict
    lead = partner.offer.organisation
    _tell_admins(
        organisation=lead,
        template="grants/email/joint_confirmed",
        context={"partner": partner, "offer": partner.offer},
        url=reverse("grants:offer-edit", args=[partner.offer_id]),
    )
    return partner
