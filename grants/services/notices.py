"""Who is told about which event of an offer, agreement or report, and where their notification leads.

The services call these inside their transactions; ``accounts.notifications.services.notify`` writes the
notifications and
queues the e-mails for the worker. The organisation's members act for it (offers, updates, agreements, reports);
the office staff of the authority the case belongs to act for the office; the organisation's own mailbox and the
offer's contact person get the e-mail copy too, as before.
"""

from django.urls import reverse

from accounts.notifications.models import Notification
from accounts.notifications.services import authority_staff, notify, organisation_members

K = Notification.Kind


def offer_authority_id(offer) -> int | None:
    if offer.call_id:
        return offer.call.authority_id
    direct = getattr(offer, "direct", None)
    return direct.authority_id if direct is not None else None


def offer_ngo_url(offer) -> str:
    name = "grants:offer-edit" if offer.call_id else "grants:small-grant-edit"
    return reverse(name, args=[offer.pk])


def offer_staff_url(offer) -> str:
    name = "grants:offer-review" if offer.call_id else "grants:small-grant-case"
    return reverse(name, args=[offer.pk])


def tell_organisation(*, organisation, kind: str, template: str, context: dict, url: str, emails=()) -> None:
    """Every member of the organisation, and ``emails`` (its own mailbox, a contact person) by e-mail only."""
    notify(
        kind=kind,
        recipients=organisation_members(organisation.pk),
        template=template,
        context=context,
        url=url,
        emails=emails,
    )


def tell_organisation_once(*, organisation, kind: str, template: str, context: dict, url: str, key: str) -> int:
    """A reminder: each member gets it once, ever, whatever runs again; returns how many were told now."""
    return len(
        notify(
            kind=kind,
            recipients=organisation_members(organisation.pk),
            template=template,
            context=context,
            url=url,
            key=key,
        )
    )


def tell_office(*, authority_id, kind: str, subject: str, body: str, url: str, deciders: bool = False) -> None:
    notify(
        kind=kind,
        recipients=authority_staff(authority_id, deciders=deciders),
        subject=subject,
        body=body,
        url=url,
    )


def offer_filed(*, offer, version, update=None) -> None:
    """The office learns of what waits for it: a correction after a defect notice, an update after a lower award,
    and every offer outside a call (art. 19a must be published within 7 working days, art. 12 answered within a
    month). Offers in a call are reviewed together after its deadline and are not announced one by one."""
    from ..models import OfferVersion

    title = offer.title or "(bez tytułu)"
    if update is not None:
        subject, url = f"Aktualizacja oferty do przyjęcia: {title}", reverse("grants:update-review", args=[update.pk])
    elif version.kind == OfferVersion.Kind.CORRECTION:
        subject, url = f"Uzupełniona oferta po wezwaniu: {title}", offer_staff_url(offer)
    elif not offer.call_id:
        subject, url = f"Nowa oferta ({offer.get_kind_display()}): {title}", offer_staff_url(offer)
    else:
        return
    body = (
        f"Organizacja {offer.organisation.name} przekazała w portalu: {version.get_kind_display()} – „{title}” "
        f"(potwierdzenie {version.receipt_number}). Sprawa czeka na rozpatrzenie przez urząd."
    )
    tell_office(authority_id=offer_authority_id(offer), kind=K.OFFER_SUBMITTED, subject=subject, body=body, url=url)
