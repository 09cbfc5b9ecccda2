"""State changes of offers: drafts, submission with receipt, withdrawal, attachments, formal review.

Deadlines are checked here against the server clock (instants in Europe/Warsaw) and nowhere else.
"""

import hashlib
import re
from datetime import datetime
from pathlib import PurePath

import filetype
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.audit import acting_as

from ..checks import offer_problems
from ..limits import ALLOWED_ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES
from ..models import (
    Activity,
    CostItem,
    DefectNotice,
    FormalReview,
    Offer,
    OfferAttachment,
    OfferVersion,
    OpenCall,
    Result,
)
from ..snapshot import checksum, offer_snapshot
from ..tasks import conflicts_check_enqueue, documents_enqueue
from . import notices
from .awards import offer_update_submitted, pending_update, update_amount_error
from .joint_offers import partners_sync

O = Offer.Status  # noqa: E741 - the status table reads best short
EDITABLE = {O.DRAFT, O.SUBMITTED, O.DEFECT_NOTICE}


def _member(offer_or_org, actor) -> bool:
    organisation = getattr(offer_or_org, "organisation", offer_or_org)
    return organisation.memberships.filter(user=actor).exists()


def _open_notice(offer: Offer) -> DefectNotice | None:
    return offer.defect_notices.filter(resolved_by__isnull=True).order_by("-deadline").first()


_UNREAD = object()


def editing_window_error(offer: Offer, now: datetime, *, update=_UNREAD) -> str | None:
    """Why the working copy can no longer be changed now, or ``None`` if it can. ``update``: the offer's
    ``pending_update`` when the caller has read it already."""
    if offer.status == O.FORMALLY_ACCEPTED and (pending_update(offer) if update is _UNREAD else update) is not None:
        return None  # aktualizacja after a lower award
    if offer.status not in EDITABLE:
        return f"Oferty o statusie „{offer.get_status_display()}” nie można już zmieniać."
    if offer.status == O.DEFECT_NOTICE:
        notice = _open_notice(offer)
        if notice and now <= notice.deadline:
            return None
        return "Termin uzupełnienia braków minął."
    call = offer.call
    if call is not None and not call.accepts_offers_at(now):
        return (
            f"Termin składania ofert minął {timezone.localtime(call.submission_deadline):%d.%m.%Y o %H:%M:%S}. "
            "Oferty nie można już złożyć ani zmienić; wersja robocza pozostaje zapisana."
        )
    return None


@transaction.atomic
def offer_start(*, call: OpenCall, organisation, actor) -> Offer:
    """Open a draft offer in a call for one of the person's organisations."""
    if not _member(organisation, actor):
        raise ValidationError("Ofertę składa się w imieniu organizacji, której jesteś członkiem.")
    if not call.accepts_offers_at(timezone.now()):
        raise ValidationError("Nabór ofert w tym konkursie jest zamknięty.")
    with acting_as(actor):
        return Offer.objects.create(
            call=call,
            organisation=organisation,
            mode=call.mode,
            created_by=actor,
            updated_by=actor,
            contact_name=actor.get_full_name(),
            contact_email=actor.email,
        )


@transaction.atomic
def offer_save(
    *,
    offer: Offer,
    actor,
    expected_revision: int,
    data: dict,
    activities: list[dict] | None,
    results: list[dict] | None,
    cost_items: list[dict] | None,
    partners: list[dict] | None,
    typed_input: dict | None = None,
) -> Offer:
    """Save the working copy. Refused if someone saved since this person loaded it (no silent overwrite).

    A draft saves whatever is typed: ``data`` holds the fields that validated, a table left as ``None`` keeps its
    saved rows (one of its rows did not validate), and ``typed_input`` keeps the whole form as typed until a
    save without errors clears it (``config/drafts.py``). Submission refuses while it is there.
    """
    offer = Offer.objects.select_for_update(of=("self",)).select_related("call", "updated_by").get(pk=offer.pk)
    if not _member(offer, actor):
        raise ValidationError("Nie możesz zmieniać tej oferty.")
    if error := editing_window_error(offer, timezone.now()):
        raise ValidationError(error)
    if offer.revision != expected_revision:
        raise ValidationError(
            f"{offer.updated_by.get_full_name()} zapisał(a) zmiany w tej ofercie "
            f"{timezone.localtime(offer.updated_at):%d.%m.%Y o %H:%M}. Twoje zmiany nie zostały zapisane, ale są "
            "nadal w formularzu: porównaj je z aktualną wersją i zapisz ponownie.",
            code="stale",
        )
    with acting_as(actor):
        for field, value in data.items():
            setattr(offer, field, value)
        offer.revision += 1
        offer.updated_by, offer.updated_at = actor, timezone.now()
        offer.typed_input = typed_input or None
        offer.full_clean(exclude=["call", "organisation", "created_by", "updated_by", "current_version"])
        offer.save()
        for rows, related, model in [
            (activities, offer.activities, Activity),
            (results, offer.results, Result),
            (cost_items, offer.cost_items, CostItem),
        ]:
            if rows is not None:
                related.all().delete()
                model.objects.bulk_create(model(offer=offer, **row) for row in rows)
        if partners is not None:
            partners_sync(offer=offer, partners=partners)
    return offer


def _receipt_number(offer: Offer, number: int) -> str:
    year = timezone.localdate().year
    return f"OF/{year}/{offer.pk:06d}/{number}"


def offer_submit(*, offer: Offer, actor, revision: int) -> OfferVersion:
    """Freeze the working copy as an immutable version and issue the receipt.

    The request only freezes the data and its checksum; both PDFs and the receipt e-mail are made afterwards by a
    background worker from the frozen version (``grants.tasks``), so a submission never waits for a PDF.
    Idempotent: submitting the same revision again (double click, retry) returns the version already made.
    """
    try:
        return _offer_submit(offer=offer, actor=actor, revision=revision)
    except IntegrityError:
        # Two requests raced for the same revision: the other one made the version; return it.
        existing = OfferVersion.objects.filter(offer=offer, revision=revision).first()
        if existing is None:
            raise
        return existing


@transaction.atomic
def _offer_submit(*, offer: Offer, actor, revision: int) -> OfferVersion:
    offer = (
        Offer.objects.select_for_update(of=("self",)).select_related("call__authority", "organisation").get(pk=offer.pk)
    )
    if not _member(offer, actor):
        raise ValidationError("Nie możesz składać tej oferty.")
    existing = offer.versions.filter(revision=revision).first()
    if existing is not None:
        return existing
    if offer.revision != revision:
        raise ValidationError("Oferta zmieniła się od chwili otwarcia formularza. Sprawdź ją i złóż ponownie.")
    now = timezone.now()
    if error := editing_window_error(offer, now):
        raise ValidationError(error)
    if problems := offer_problems(offer):
        raise ValidationError(problems)
    update = pending_update(offer) if offer.status == O.FORMALLY_ACCEPTED else None
    if update is not None and (error := update_amount_error(offer, update)):
        raise ValidationError({"grant_amount": error})
    notice = _open_notice(offer) if offer.status == O.DEFECT_NOTICE else None
    data = offer_snapshot(offer)
    number = offer.versions.count() + 1
    version = OfferVersion(
        offer=offer,
        number=number,
        revision=revision,
        data=data,
        sha256=checksum(data),
        grant_amount=offer.grant_amount,
        total_cost=offer.cost_totals()["total"],
        receipt_number=_receipt_number(offer, number),
        submitted_at=now,
        submitted_by=actor,
        kind=(
            OfferVersion.Kind.UPDATE
            if update
            else OfferVersion.Kind.CORRECTION
            if notice
            else OfferVersion.Kind.SUBMISSION
        ),
    )
    version.documents = OfferVersion.Documents.PENDING
    with acting_as(actor):
        version.save()
        if update is not None:
            # The evaluated version stays current; the update is what the agreement is made from.
            offer_update_submitted(update=update, version=version)
        else:
            offer.current_version, offer.status = version, O.SUBMITTED
            offer.save(update_fields=["current_version", "status"])
        if notice:
            notice.resolved_by = version
            notice.save(update_fields=["resolved_by"])
    notices.offer_filed(offer=offer, version=version, update=update)
    transaction.on_commit(lambda: documents_enqueue(version.pk))
    if offer.call_id:
        conflicts_check_enqueue(offer.call_id)  # a new offeror may put a commission member in conflict
    return version


@transaction.atomic
def offer_withdraw(*, offer: Offer, actor) -> Offer:
    offer = Offer.objects.select_for_update(of=("self",)).select_related("call").get(pk=offer.pk)
    if not _member(offer, actor):
        raise ValidationError("Nie możesz wycofać tej oferty.")
    if offer.status not in (O.DRAFT, O.SUBMITTED) or (offer.call and not offer.call.accepts_offers_at(timezone.now())):
        raise ValidationError("Ofertę można wycofać tylko przed upływem terminu składania ofert.")
    with acting_as(actor):
        offer.status = O.WITHDRAWN
        offer.save(update_fields=["status"])
    return offer


def attachment_name(uploaded_name: str, mime: str) -> str:
    """The name shown and offered on download: the uploaded name with the extension of the type found in the
    content (``statut.exe`` holding a PDF becomes ``statut.pdf``), so no name claims a type the file is not."""
    stem = PurePath(uploaded_name.replace("\\", "/")).name or "zalacznik"
    base, dot, extension = stem.rpartition(".")
    if dot and base and re.fullmatch(r"[A-Za-z0-9]{1,5}", extension):
        stem = base
    suffix = ALLOWED_ATTACHMENT_TYPES[mime]
    return f"{stem[: 255 - len(suffix)]}{suffix}"


def attachment_check(upload, *, field: str = "file") -> tuple[str, str, str]:
    """An upload's size and type checked by content, never by the name or the browser's word: returns the type
    found, the SHA-256 of the content and the name to show (``attachment_name``). Used for every private upload."""
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({field: f"Plik jest za duży: dopuszczalne {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB."})
    head = upload.read(2048)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_ATTACHMENT_TYPES:
        raise ValidationError({field: "Dozwolone są pliki PDF, JPG i PNG (sprawdzamy zawartość pliku, nie nazwę)."})
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return kind.mime, digest.hexdigest(), attachment_name(upload.name, kind.mime)


@transaction.atomic
def attachment_add(*, offer: Offer, actor, upload, required=None) -> OfferAttachment:
    """Store an attachment privately; its type is checked by content (``attachment_check``)."""
    if not _member(offer, actor):
        raise ValidationError("Nie możesz dodawać załączników do tej oferty.")
    if error := editing_window_error(offer, timezone.now()):
        raise ValidationError(error)
    mime, sha256, name = attachment_check(upload)
    if required is not None and required.call_id != offer.call_id:
        raise ValidationError({"required": "Ten załącznik nie dotyczy konkursu oferty."})
    with acting_as(actor):
        attachment = OfferAttachment(
            offer=offer,
            required=required,
            original_name=name,
            content_type=mime,
            size=upload.size,
            sha256=sha256,
            uploaded_by=actor,
        )
        attachment.file.save(attachment.original_name, upload, save=False)
        attachment.save()
        Offer.objects.filter(pk=offer.pk).update(revision=offer.revision + 1)
    return attachment


def formal_review_validate(
    *,
    offer: Offer,
    checklist: dict[str, bool],
    outcome: str,
    reasons: str,
    deadline: datetime | None = None,
    unconfirmed_reasons: dict[str, str] | None = None,
) -> None:
    """Refuse a review the checklist does not support: a pass needs every item confirmed or a reason for each
    item that is not; a rejection or a defect notice needs the items the offer fails."""
    if offer.status != O.SUBMITTED or offer.current_version is None:
        raise ValidationError("Ocenie formalnej podlega złożona oferta.")
    if offer.call and offer.call.status not in (OpenCall.Status.SUBMISSION_CLOSED, OpenCall.Status.FORMAL_REVIEW):
        raise ValidationError("Ocena formalna zaczyna się po zakończeniu naboru ofert.")
    unconfirmed_reasons = unconfirmed_reasons or {}
    unconfirmed = [key for key, _label in FormalReview.CHECKLIST if not checklist.get(key)]
    errors: dict[str, list[str]] = {}
    if outcome == FormalReview.Outcome.PASSED:
        for key in unconfirmed:
            if not unconfirmed_reasons.get(key, "").strip():
                errors[f"note_{key}"] = [
                    "Potwierdź ten warunek albo podaj, dlaczego oferta jest poprawna formalnie mimo to."
                ]
    elif not unconfirmed:
        errors["outcome"] = [
            "Wszystkie warunki na liście są potwierdzone: odrzucenie albo wezwanie do uzupełnienia braków "
            "wymaga zaznaczenia, których warunków oferta nie spełnia (odznacz je na liście)."
        ]
    if outcome != FormalReview.Outcome.PASSED and not reasons.strip():
        errors["reasons"] = ["Podaj uzasadnienie albo wskaż braki do uzupełnienia."]
    if outcome == FormalReview.Outcome.DEFECTS and (deadline is None or deadline <= timezone.now()):
        errors["deadline"] = ["Termin uzupełnienia braków musi przypadać w przyszłości."]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def formal_review_decide(
    *,
    offer: Offer,
    actor,
    checklist: dict[str, bool],
    outcome: str,
    reasons: str,
    deadline: datetime | None = None,
    unconfirmed_reasons: dict[str, str] | None = None,
) -> FormalReview:
    """Pass, reject (with reasons) or send a defect notice with a correction deadline, as the checklist shows."""
    offer = (
        Offer.objects.select_for_update(of=("self",))
        .select_related("current_version", "organisation", "call")
        .get(pk=offer.pk)
    )
    formal_review_validate(
        offer=offer,
        checklist=checklist,
        outcome=outcome,
        reasons=reasons,
        deadline=deadline,
        unconfirmed_reasons=unconfirmed_reasons,
    )
    unconfirmed_reasons = {
        key: text.strip()
        for key, text in (unconfirmed_reasons or {}).items()
        if not checklist.get(key) and text.strip()
    }
    with acting_as(actor):
        review = FormalReview.objects.create(
            offer=offer,
            version=offer.current_version,
            checklist={key: bool(checklist.get(key)) for key, _label in FormalReview.CHECKLIST},
            unconfirmed_reasons=unconfirmed_reasons,
            outcome=outcome,
            reasons=reasons.strip(),
            reviewer=actor,
        )
        offer.status = {
            FormalReview.Outcome.PASSED: O.FORMALLY_ACCEPTED,
            FormalReview.Outcome.REJECTED: O.FORMALLY_REJECTED,
            FormalReview.Outcome.DEFECTS: O.DEFECT_NOTICE,
        }[outcome]
        offer.save(update_fields=["status"])
        if outcome == FormalReview.Outcome.DEFECTS:
            DefectNotice.objects.create(offer=offer, review=review, deadline=deadline)
    notices.tell_organisation(
        organisation=offer.organisation,
        kind=notices.K.OFFER_REVIEW,
        template="grants/email/review",
        context={"offer": offer, "review": review, "deadline": deadline},
        url=notices.offer_ngo_url(offer),
        emails=offer.recipients,
    )
    return review
