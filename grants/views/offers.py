"""The NGO side: start an offer, fill it in, submit it, get the receipt, correct defects."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.roles import roles_of
from config.drafts import typed_data, typed_input, valid_part
from config.forms import apply_validation_error
from config.tenancy import scoped
from grants.signatures.models import IssuedDocument
from grants.signatures.services import signing_state
from reports.pdf import pdf_response

from ..checks import offer_problems, sources_table
from ..forms import ActivityFormSet, AttachmentForm, CostItemFormSet, OfferForm, PartnerFormSet, ResultFormSet
from ..models import Offer, OfferAttachment, OfferVersion, OpenCall
from ..permissions import can_read_attachment, offers_of_my_organisations
from ..services import offers as services
from ..services.awards import pending_update, update_amount_error
from ..services.joint_offers import CONSENT_STATUSES
from ..states import OFFER_STATE_PREFETCH, OFFER_STATE_RELATED, offer_state, version_in_force
from .documents import stored_pdf_response, version_pdf_response
from .joint_offers import partners_i_answer_for


@login_required
def my_offers(request):
    offers = list(
        offers_of_my_organisations(request)
        .select_related("call__programme", "organisation", *OFFER_STATE_RELATED)
        .prefetch_related("defect_notices__review", *OFFER_STATE_PREFETCH)
        .annotate(version_count=Count("versions", distinct=True))
        .order_by("-updated_at")
    )
    today = timezone.localdate()
    for offer in offers:
        offer.state = offer_state(offer, today)
        offer.version_shown = version_in_force(offer)
    consents = (
        partners_i_answer_for(request)
        .filter(confirmed_at__isnull=True, offer__status__in=CONSENT_STATUSES)
        .select_related("organisation", "offer__organisation")
    )
    return render(request, "grants/my_offers.html", {"offers": offers, "consents": consents})


STALE_FORM = "Formularz był nieaktualny lub niepełny – oferty nie złożono. Sprawdź ją poniżej i złóż ponownie."


@login_required
@require_POST
def offer_start(request, call_pk: int):
    # Inside an authority's space only its calls, as the call page there (config/tenancy.py).
    call = get_object_or_404(scoped(request, OpenCall.objects.public()), pk=call_pk)
    memberships = {m.organisation_id: m.organisation for m in roles_of(request).memberships}
    choice = request.POST.get("organisation", "")
    organisation = memberships.get(int(choice)) if choice.isdigit() else None
    if organisation is None:
        raise PermissionDenied
    try:
        offer = services.offer_start(call=call, organisation=organisation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("grants:call-detail", pk=call.pk)
    return redirect("grants:offer-edit", pk=offer.pk)


def _formsets(offer: Offer, data=None):
    def initial(rows, fields, *order):
        """The saved rows as the forms' initial values: read as dicts in the models' order within one offer (the
        models' ``ordering`` starts with the offer, which Django orders by joining the offers table)."""
        return None if data else list(rows.order_by(*order).values(*fields))

    activity_fields = ["number", "name", "description", "target_group", "period", "subcontractor"]
    cost_fields = ["category", "activity_number", "order", "name", "unit", "unit_cost", "quantity"]
    partners = initial(offer.partners.all(), ["organisation__krs", "organisation__nip", "cost_share"], "pk")
    return {
        "activities": ActivityFormSet(
            data, prefix="activities", initial=initial(offer.activities.all(), activity_fields, "number")
        ),
        "results": ResultFormSet(
            data,
            prefix="results",
            initial=initial(offer.results.all(), ["number", "name", "target", "monitoring"], "number"),
        ),
        "cost_items": CostItemFormSet(
            data,
            prefix="cost_items",
            initial=initial(offer.cost_items.all(), cost_fields, "category", "activity_number", "order", "pk"),
        ),
        "partners": PartnerFormSet(
            data,
            prefix="partners",
            initial=None
            if partners is None
            else [
                {"identifier": p["organisation__krs"] or p["organisation__nip"], "cost_share": p["cost_share"]}
                for p in partners
            ],
        ),
    }


def _kept(formset) -> list[dict]:
    """The rows to save: filled in and not marked for removal."""
    return [
        form.cleaned_data
        for form in formset.forms
        if form.has_changed() and form.cleaned_data and not form.cleaned_data.get("DELETE")
    ]


def _rows(formset) -> list[dict] | None:
    """The table's rows to save, or ``None`` (keep the saved rows) when one of them has errors."""
    if not formset.is_valid():
        return None
    return [{k: v for k, v in row.items() if k != "DELETE"} for row in _kept(formset)]


def _save_draft(request, offer: Offer, form, formsets: dict, autosave: bool):
    """Save everything typed, valid or not (config/drafts.py); a response, or ``None`` to show the form again.

    The button, the "check" button and the background autosave all come here.
    """
    valid = all([form.is_valid(), *[fs.is_valid() for fs in formsets.values()]])
    revision = form.cleaned_data.get("revision") if hasattr(form, "cleaned_data") else None
    if revision is None:
        return JsonResponse({"error": "Odśwież stronę."}, status=400) if autosave else None
    partners = None
    if formsets["partners"].is_valid():
        partners = [
            {"organisation": r["organisation"], "cost_share": r["cost_share"]} for r in _kept(formsets["partners"])
        ]
    try:
        services.offer_save(
            offer=offer,
            actor=request.user,
            expected_revision=revision,
            data={name: value for name, value in valid_part(form).items() if name != "revision"},
            activities=_rows(formsets["activities"]),
            results=_rows(formsets["results"]),
            cost_items=_rows(formsets["cost_items"]),
            partners=partners,
            typed_input=None if valid else typed_input(request.POST),
        )
    except ValidationError as error:
        if autosave:
            return JsonResponse({"error": " ".join(error.messages)}, status=409)
        if getattr(error, "code", None) == "stale":
            # Keep what this person typed; the next save knowingly replaces the colleague's version.
            form.data = form.data.copy()
            form.data["revision"] = Offer.objects.values_list("revision", flat=True).get(pk=offer.pk)
        apply_validation_error(form, error)
        return None
    if autosave:
        saved = Offer.objects.values_list("revision", "updated_at").get(pk=offer.pk)
        return JsonResponse(
            {"revision": saved[0], "saved_at": f"{timezone.localtime(saved[1]):%H:%M:%S}", "to_correct": not valid}
        )
    if not valid:
        messages.warning(request, "Zapisano wersję roboczą oferty ze wszystkim, co wpisano. Popraw zaznaczone pola.")
        return redirect("grants:offer-edit", pk=offer.pk)
    messages.success(request, "Zapisano wersję roboczą oferty.")
    if "check" in request.POST:
        return redirect("grants:offer-submit", pk=offer.pk)
    return redirect("grants:offer-edit", pk=offer.pk)


@login_required
@require_http_methods(["GET", "POST"])
def offer_edit(request, pk: int):
    offer = get_object_or_404(
        offers_of_my_organisations(request).select_related("call__authority", "organisation", "current_version"),
        pk=pk,
    )
    if offer.organisation_id not in roles_of(request).organisation_ids:
        raise PermissionDenied  # joint offerors read the offer; the lead organisation edits it
    if offer.call_id is None:
        return redirect("grants:small-grant-edit", pk=offer.pk)  # art. 19a / art. 12 offers have the short form
    update = pending_update(offer) if offer.status == Offer.Status.FORMALLY_ACCEPTED else None
    window_error = services.editing_window_error(offer, timezone.now(), update=update)
    data = request.POST if request.method == "POST" else None
    if data is None and offer.typed_input:
        data = typed_data(offer.typed_input, revision=offer.revision)  # shown again with its errors
    # The page saves itself in the background (static/js/autosave.js), so a closed tab loses at most seconds.
    autosave = request.method == "POST" and "autosave" in request.POST
    form = OfferForm(data, instance=offer if data is None else Offer.objects.get(pk=offer.pk))
    formsets = _formsets(offer, data)
    if request.method == "POST":
        response = _save_draft(request, offer, form, formsets, autosave)
        if response is not None:
            return response
    elif data is not None and not all([form.is_valid(), *[fs.is_valid() for fs in formsets.values()]]):
        form.add_error(None, "Zapisaliśmy wszystko, co wpisano, ale zaznaczone pola wymagają poprawy.")
    if request.method == "POST":
        offer.refresh_from_db()  # a refused save: show the saved state beside what was typed
    totals = offer.cost_totals()
    return render(
        request,
        "grants/offer_form.html",
        {
            "offer": offer,
            "call": offer.call,
            "form": form,
            **formsets,
            "window_error": window_error,
            "pending_update": update,
            "totals": totals,
            "sources": sources_table(offer, totals),
            "attachments": offer.attachments.select_related("required").order_by("uploaded_at"),  # one offer's
            "attachment_form": AttachmentForm(call=offer.call),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def offer_submit(request, pk: int):
    """The last look before submitting: the checks, then one button. Double clicks make one version."""
    offer = get_object_or_404(
        offers_of_my_organisations(request).select_related("call__authority", "organisation"), pk=pk
    )
    if offer.organisation_id not in roles_of(request).organisation_ids:
        raise PermissionDenied
    if request.method == "POST":
        try:
            version = services.offer_submit(offer=offer, actor=request.user, revision=int(request.POST["revision"]))
        except (ValidationError, ValueError, KeyError) as error:
            for message in getattr(error, "messages", [STALE_FORM]):
                messages.error(request, message)
        else:
            return redirect("grants:receipt", pk=offer.pk, number=version.number)
    problems = offer_problems(offer)
    update = pending_update(offer)
    if update is not None and (error := update_amount_error(offer, update)):
        problems.setdefault("grant_amount", []).append(error)
    return render(
        request,
        "grants/offer_submit.html",
        {
            "pending_update": update,
            "offer": offer,
            "call": offer.call,
            "problems": problems,
            "window_error": services.editing_window_error(offer, timezone.now()),
            "totals": offer.cost_totals(),
            "sources": sources_table(offer),
        },
    )


def _version(request, pk: int, number: int) -> OfferVersion:
    offer = get_object_or_404(offers_of_my_organisations(request), pk=pk)
    return get_object_or_404(
        offer.versions.select_related("offer__call", "offer__organisation", "submitted_by"), number=number
    )


Kind = IssuedDocument.Kind


def _receipt_context(version: OfferVersion) -> dict:
    """The version with its issued documents (number, checksum, seal) and the organisation's signed copy."""
    issued = {
        d.kind: d
        for d in IssuedDocument.objects.filter(
            object_id=version.offer_id, version=version.number, kind__in=[Kind.OFFER, Kind.RECEIPT]
        )
    }
    offer_document, copy = signing_state(Kind.OFFER, version.offer_id, version.number)
    return {
        "version": version,
        "issued_offer": issued.get(Kind.OFFER),
        "issued_receipt": issued.get(Kind.RECEIPT),
        "signed_copy": copy,
    }


@login_required
def receipt(request, pk: int, number: int):
    return render(request, "grants/receipt.html", _receipt_context(_version(request, pk, number)))


@login_required
def receipt_documents(request, pk: int, number: int):
    """The receipt page's documents box alone: htmx asks for it every few seconds until the worker is done."""
    return render(request, "grants/includes/receipt_documents.html", _receipt_context(_version(request, pk, number)))


def _pending(request, version: OfferVersion):
    messages.info(request, "Dokumenty tej wersji są jeszcze przygotowywane. Za chwilę będą gotowe do pobrania.")
    return redirect("grants:receipt", pk=version.offer_id, number=version.number)


@login_required
def receipt_pdf(request, pk: int, number: int):
    version = _version(request, pk, number)
    if version.receipt_pdf:
        return stored_pdf_response(version.receipt_pdf, f"potwierdzenie-{version.receipt_number.replace('/', '-')}.pdf")
    if version.documents != OfferVersion.Documents.ON_DEMAND:
        return _pending(request, version)
    return pdf_response(
        "grants/receipt_pdf.html",
        {"version": version, "offer": version.offer},
        f"potwierdzenie-{version.receipt_number.replace('/', '-')}.pdf",
    )


@login_required
def version_pdf(request, pk: int, number: int):
    version = _version(request, pk, number)
    if not version.offer_pdf and version.documents != OfferVersion.Documents.ON_DEMAND:
        return _pending(request, version)
    return version_pdf_response(version)


@login_required
@require_POST
def offer_withdraw(request, pk: int):
    offer = get_object_or_404(offers_of_my_organisations(request), pk=pk)
    try:
        services.offer_withdraw(offer=offer, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Oferta została wycofana.")
    return redirect("grants:my-offers")


@login_required
@require_POST
def attachment_add(request, pk: int):
    offer = get_object_or_404(offers_of_my_organisations(request).select_related("call"), pk=pk)
    form = AttachmentForm(request.POST, request.FILES, call=offer.call)
    if form.is_valid():
        try:
            services.attachment_add(
                offer=offer,
                actor=request.user,
                upload=form.cleaned_data["file"],
                required=form.cleaned_data["required"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Dodano załącznik.")
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("grants:offer-edit", pk=offer.pk)


def attachment_download(request, pk: int):
    """Attachments are private: served only through here, after a permission check, never by their name."""
    attachment = get_object_or_404(OfferAttachment.objects.select_related("offer"), pk=pk)
    if not request.user.is_authenticated or not can_read_attachment(request, attachment.offer):
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
