"""State changes of consultations and comments. The period is enforced here, on the server, to the second."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import acting_as
from accounts.notifications.subscriptions import announce_on_commit, consultation_announced
from config.workflow import advance
from programmes.models import Programme
from programmes.services import TRANSITIONS as PROGRAMME_TRANSITIONS
from reports.publications import publication_publish

from .models import Consultation, ConsultationComment, Provision
from .provisions import split_provisions

C = Consultation.Status
TRANSITIONS: dict[str, set[str]] = {
    C.DRAFT: {C.ANNOUNCED},
    C.ANNOUNCED: {C.CLOSED},
    C.CLOSED: {C.REPORTED},
    C.REPORTED: set(),
}


def _period_label(consultation: Consultation) -> str:
    local = timezone.localtime
    return f"od {local(consultation.starts_at):%d.%m.%Y %H:%M} do {local(consultation.ends_at):%d.%m.%Y %H:%M}"


@transaction.atomic
def consultation_create(*, actor, authority, data: dict, programme: Programme | None = None) -> Consultation:
    """Prepare a consultation of a draft; its text is split into numbered provisions at once."""
    with acting_as(actor):
        consultation = Consultation(authority=authority, programme=programme, **data)
        consultation.full_clean()
        consultation.save()
        provisions = split_provisions(consultation.draft_text)
        Provision.objects.bulk_create(
            Provision(
                consultation=consultation,
                order=order,
                chapter=p.chapter,
                chapter_title=p.chapter_title,
                paragraph=p.paragraph,
                section=p.section,
                text=p.text,
            )
            for order, p in enumerate(provisions, start=1)
        )
    return consultation


@transaction.atomic
def consultation_announce(*, consultation: Consultation, actor) -> Consultation:
    """Publish the consultation; a programme under consultation moves to "w konsultacjach"."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if not consultation.provisions.exists():
        raise ValidationError("Projekt nie zawiera żadnego przepisu do konsultacji.")
    with acting_as(actor):
        advance(consultation, C.ANNOUNCED, TRANSITIONS)
        consultation.save(update_fields=["status"])
        if consultation.programme and consultation.programme.status != Programme.Status.IN_CONSULTATION:
            programme = consultation.programme
            advance(programme, Programme.Status.IN_CONSULTATION, PROGRAMME_TRANSITIONS)
            programme.save(update_fields=["status"])
    announce_on_commit(consultation_announced, consultation.pk)
    return consultation


def _check_can_comment(*, consultation: Consultation, organisation, actor) -> None:
    if not organisation.memberships.filter(user=actor).exists():
        raise ValidationError({"organisation": "Możesz zgłaszać uwagi tylko w imieniu swojej organizacji."})


@transaction.atomic
def comment_save(
    *,
    consultation: Consultation,
    actor,
    organisation,
    provision: Provision | None,
    proposed_wording: str,
    justification: str,
    submit: bool,
    comment: ConsultationComment | None = None,
) -> ConsultationComment:
    """Save a draft comment or submit it. Submitting is possible only within the period (Europe/Warsaw)."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    _check_can_comment(consultation=consultation, organisation=organisation, actor=actor)
    now = timezone.now()
    if not consultation.accepts_comments_at(now):
        raise ValidationError(
            f"Uwagi można zgłaszać tylko w okresie konsultacji ({_period_label(consultation)}). "
            "Formularz jest zamknięty; zapisany tekst nie zginął."
        )
    if provision is not None and provision.consultation_id != consultation.pk:
        raise ValidationError({"provision": "Ten przepis nie należy do konsultowanego projektu."})
    if comment is None:
        comment = ConsultationComment(consultation=consultation, author=actor)
    elif comment.status != ConsultationComment.Status.DRAFT:
        raise ValidationError("Złożonej uwagi nie można już zmieniać.")
    comment.organisation, comment.provision = organisation, provision
    comment.proposed_wording, comment.justification = proposed_wording, justification
    if submit:
        comment.status, comment.submitted_at = ConsultationComment.Status.SUBMITTED, now
    with acting_as(actor):
        comment.full_clean()
        comment.save()
    return comment


@transaction.atomic
def comment_respond(*, comment: ConsultationComment, decision: str, response: str, actor) -> ConsultationComment:
    """The executive's position on a comment (uwzględniona / częściowo / nieuwzględniona), always with reasons."""
    comment = (
        ConsultationComment.objects.select_for_update(of=("self",)).select_related("consultation").get(pk=comment.pk)
    )
    if comment.status != ConsultationComment.Status.SUBMITTED:
        raise ValidationError("Odpowiedzieć można tylko na złożoną uwagę.")
    if comment.consultation.status == C.REPORTED:
        raise ValidationError("Sprawozdanie z konsultacji zostało już opublikowane.")
    if decision not in ConsultationComment.Decision.values:
        raise ValidationError({"decision": "Wybierz stanowisko."})
    if not response.strip():
        raise ValidationError({"response": "Podaj uzasadnienie stanowiska – trafi do sprawozdania z konsultacji."})
    with acting_as(actor):
        comment.decision, comment.response = decision, response.strip()
        comment.responded_by, comment.responded_at = actor, timezone.now()
        comment.save(update_fields=["decision", "response", "responded_by", "responded_at", "updated_at"])
    return comment


@transaction.atomic
def consultation_close(*, consultation: Consultation, actor) -> Consultation:
    """End the consultation once its period is over."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    if timezone.now() <= consultation.ends_at:
        raise ValidationError(
            f"Konsultacje trwają do {timezone.localtime(consultation.ends_at):%d.%m.%Y %H:%M}; zamknij je później."
        )
    with acting_as(actor):
        advance(consultation, C.CLOSED, TRANSITIONS)
        consultation.save(update_fields=["status"])
    return consultation


@transaction.atomic
def consultation_publish_report(
    *, consultation: Consultation, summary: str, actor, rdpp_opinion: str = ""
) -> Consultation:
    """Publish the consultation report; every submitted comment must have the executive's position."""
    consultation = Consultation.objects.select_for_update().get(pk=consultation.pk)
    unanswered = consultation.comments.submitted().filter(decision="").count()
    if unanswered:
        raise ValidationError(f"{unanswered} uwag(i) nie ma jeszcze stanowiska – odpowiedz na każdą przed publikacją.")
    with acting_as(actor):
        advance(consultation, C.REPORTED, TRANSITIONS)
        consultation.summary, consultation.report_published_at = summary, timezone.now()
        consultation.rdpp_opinion = rdpp_opinion
        consultation.save(update_fields=["status", "summary", "rdpp_opinion", "report_published_at"])
        programme = consultation.programme
        if programme and programme.status == Programme.Status.IN_CONSULTATION:
            advance(programme, Programme.Status.CONSULTED, PROGRAMME_TRANSITIONS)
            programme.save(update_fields=["status"])
    # The report as published is frozen: its page and PDF no longer follow later edits of the comments.
    publication_publish(actor=actor, document=consultation)
    return consultation
