"""Who takes part in a call and which commission members that puts in conflict (art. 15 ust. 2d and 2f of the act,
art. 24 KPA).

Conflicts are read from the current data every time they matter, never only from what was known when the member
declared: a new offer, a joint offeror confirming its part, an appointment or a new membership changes the answer at
once. The declaration opens only when the offers are known (after the call's deadline), a conflicted member cannot
open or submit a card, and the chair and staff see the reason beside the member.
"""

from django.utils import timezone
from django.utils.formats import date_format

from organisations.models import Membership, Organisation

from ..models import CommissionMember, JointOfferor, Offer, OpenCall


def participating_offers(call: OpenCall):
    """Offers that count as "taking part in the call": submitted (not drafts, not withdrawn)."""
    return Offer.objects.filter(call=call).submitted()


def participating_organisation_ids(call: OpenCall) -> set[int]:
    """Lead offerors and the joint offerors that confirmed their part, of the call's submitted offers (one query).

    A partner named on an offer without its consent is not a participant: naming it must not exclude its people.
    """
    offers = participating_offers(call).values("pk")
    leads = Offer.objects.filter(pk__in=offers).order_by().values_list("organisation_id", flat=True)
    partners = (
        JointOfferor.objects.confirmed().filter(offer__in=offers).order_by().values_list("organisation_id", flat=True)
    )
    return set(leads.union(partners))


def declaration_opening_error(call: OpenCall) -> str | None:
    """Why a member cannot declare yet: the declaration concerns the offerors, known only after the deadline."""
    if timezone.now() <= call.submission_deadline:
        deadline = date_format(timezone.localtime(call.submission_deadline), "d.m.Y, H:i")
        return (
            f"Oświadczenie o bezstronności składa się po upływie terminu składania ofert ({deadline}), "
            "gdy wiadomo, kto złożył oferty."
        )
    if not participating_offers(call).exists():
        return "W konkursie nie złożono żadnej oferty – nie ma czego oceniać, więc oświadczenia się nie składa."
    return None


def detect_conflicts(member: CommissionMember) -> list[dict]:
    """What the portal itself knows: the member acts for, or was nominated by, an organisation in the call."""
    participating = participating_organisation_ids(member.commission.call)
    found = []
    memberships = Membership.objects.filter(user=member.user_id, organisation__in=participating).select_related(
        "organisation"
    )
    for membership in memberships:
        found.append(
            {
                "organisation_id": membership.organisation_id,
                "organisation": membership.organisation.name,
                "reason": "membership",
                "text": f"członek organizacji „{membership.organisation.name}”, która złożyła ofertę w konkursie",
            }
        )
    if member.nominated_by_id in participating:
        name = Organisation.objects.get(pk=member.nominated_by_id).name
        found.append(
            {
                "organisation_id": member.nominated_by_id,
                "organisation": name,
                "reason": "nominated_by",
                "text": f"osoba wskazana przez organizację „{name}”, która złożyła ofertę w konkursie",
            }
        )
    return found


def user_conflict_names(user, call: OpenCall) -> list[str]:
    """Organisations taking part in the call that the person acts for (checked again at appointment)."""
    participating = participating_organisation_ids(call)
    return list(
        Membership.objects.filter(user=user, organisation__in=participating)
        .order_by("organisation__name")
        .values_list("organisation__name", flat=True)
    )


def card_conflict_error(member: CommissionMember) -> str | None:
    """Checked at every card, opened or submitted: a member in conflict scores no offer of the call."""
    conflicts = detect_conflicts(member)
    if not conflicts:
        return None
    return (
        "Nie możesz oceniać ofert w tym konkursie: "
        + "; ".join(item["text"] for item in conflicts)
        + " (art. 15 ust. 2d ustawy). Przewodniczący komisji i urząd widzą tę przyczynę; urząd wyłączy Cię "
        "z prac komisji."
    )


def conflicted_member_ids(commission, members: list[CommissionMember]) -> dict[int, list[str]]:
    """For the staff page and the chair's: members in conflict as of now, declared or not (two queries)."""
    participating = participating_organisation_ids(commission.call)
    if not participating:
        return {}
    found: dict[int, list[str]] = {}
    by_user = {m.user_id: m for m in members}
    rows = Membership.objects.filter(user__in=by_user, organisation__in=participating).select_related("organisation")
    for row in rows:
        found.setdefault(by_user[row.user_id].pk, []).append(f"członek organizacji „{row.organisation.name}”")
    for m in members:
        if m.nominated_by_id in participating:
            found.setdefault(m.pk, []).append("wskazany przez organizację biorącą udział w konkursie")
    return found
