"""Where an offer or an agreement really stands, for lists read by people rather than by the workflow.

``Offer.status`` follows the formal review only: a granted offer stays "poprawna formalnie" and a small grant
"złożona". The lists show what happened since – granted, update required, agreement signed, report accepted,
settled – as one badge (``config/badges.py``). Everything here reads what the list's queryset already loaded
(``OFFER_STATE_RELATED`` and ``OFFER_STATE_PREFETCH``), so a list stays at a fixed number of queries.
"""

from datetime import date

from django.utils import timezone

from config.polish import format_date, polish_plural
from config.statuses import Badge, status_badge_of

from .models import Agreement, Award, GrantReport, Offer, OfferUpdate

OFFER_STATE_RELATED = (
    "call",
    "current_version",
    "award__offer_update__version",
    "award__agreement__version",
    "publication",
    "assessment",
)
OFFER_STATE_PREFETCH = ("award__agreement__grant_reports",)


def _days(count: int) -> str:
    return f"{count} {polish_plural(count, 'dzień', 'dni', 'dni')}"


def report_state(agreement: Agreement, today: date) -> Badge | None:
    """The final report of an agreement in force: accepted, in review, returned, due or overdue (art. 18 ust. 1).

    Reads ``agreement.grant_reports.all()`` (prefetch it)."""
    if agreement.status != Agreement.Status.SIGNED:
        return None
    final = next((r for r in agreement.grant_reports.all() if r.kind == GrantReport.Kind.FINAL), None)
    if final is not None and final.status == GrantReport.Status.ACCEPTED:
        return Badge("success", "sprawozdanie przyjęte")
    if final is not None and final.status == GrantReport.Status.SUBMITTED:
        return Badge("progress", "sprawozdanie złożone – w ocenie")
    due = final.due_date if final is not None else agreement.report_due
    if due < today:
        late = (today - due).days
        return Badge("danger", f"sprawozdanie po terminie ({_days(late)}, termin {format_date(due)})")
    if final is not None and final.status == GrantReport.Status.RETURNED:
        return Badge("action", f"sprawozdanie do poprawy (termin {format_date(due)})")
    if agreement.end_date < today or final is not None:
        return Badge("action", f"sprawozdanie do złożenia do {format_date(due)}")
    return None


def _award_visible(offer: Offer, award: Award) -> bool:
    """A call's awards are known to the offeror from the publication of the results; a small grant's at once."""
    if award.status == Award.Status.PROPOSED:
        return False
    return offer.call_id is None or offer.call.results_published_at is not None


def version_in_force(offer: Offer):
    """The version that counts now: the agreement's, else an accepted update, else the last evaluated version."""
    award = getattr(offer, "award", None)
    if award is not None:
        agreement = getattr(award, "agreement", None)
        if agreement is not None:
            return agreement.version
        update = getattr(award, "offer_update", None)
        if update is not None and update.status == OfferUpdate.Status.ACCEPTED and update.version is not None:
            return update.version
    return offer.current_version


def offer_state(offer: Offer, today: date) -> Badge:
    """The one badge that says where the offer stands for its offeror."""
    S = Offer.Status
    if offer.status in (S.DRAFT, S.WITHDRAWN, S.DEFECT_NOTICE, S.FORMALLY_REJECTED):
        return status_badge_of(offer)
    award = getattr(offer, "award", None)
    if award is not None and _award_visible(offer, award):
        if award.status == Award.Status.REFUSED:
            return Badge("danger", "odmowa przyznania dotacji" if offer.call_id is None else "dotacji nie przyznano")
        agreement = getattr(award, "agreement", None)
        if agreement is not None:
            if agreement.status == Agreement.Status.DRAFT:
                return Badge("action", "umowa do podpisania")
            if agreement.status == Agreement.Status.PERFORMED:
                return Badge("closed", "dotacja rozliczona")
            if agreement.status == Agreement.Status.TERMINATED:
                return Badge("danger", "umowa rozwiązana")
            return report_state(agreement, today) or Badge("success", "umowa zawarta – w realizacji")
        update = getattr(award, "offer_update", None)
        if update is not None and update.status != OfferUpdate.Status.ACCEPTED:
            return {
                OfferUpdate.Status.REQUIRED: Badge("action", "dotacja przyznana – zaktualizuj ofertę"),
                OfferUpdate.Status.RETURNED: Badge("action", "aktualizacja zwrócona do poprawy"),
                OfferUpdate.Status.SUBMITTED: Badge("progress", "aktualizacja złożona – w ocenie"),
                OfferUpdate.Status.WITHDRAWN: Badge("closed", "rezygnacja z realizacji"),
            }[update.status]
        return Badge("success", "dotacja przyznana – umowa w przygotowaniu")
    if offer.kind == Offer.Kind.SMALL_GRANT and offer.status == S.SUBMITTED:
        publication = getattr(offer, "publication", None)
        if publication is not None:
            return Badge(
                "progress", f"opublikowana – uwagi do {format_date(timezone.localtime(publication.comments_until))}"
            )
        return Badge("progress", "złożona – czeka na publikację")
    if offer.kind == Offer.Kind.OWN_INITIATIVE and offer.status == S.SUBMITTED:
        assessment = getattr(offer, "assessment", None)
        if assessment is not None:
            tone = "success" if assessment.outcome == assessment.Outcome.WORTHWHILE else "danger"
            return Badge(tone, assessment.get_outcome_display())
        return Badge("progress", "złożona – czeka na ocenę celowości")
    if offer.status == S.FORMALLY_ACCEPTED and offer.call_id and offer.call.results_published_at is None:
        return Badge("progress", "poprawna formalnie – w ocenie komisji")
    return status_badge_of(offer)
