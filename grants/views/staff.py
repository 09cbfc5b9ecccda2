"""The office side: announce calls, watch the offers come in, review them formally."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.views.decorators.http import require_http_methods, require_POST

from accounts.audit import acting_as
from accounts.permissions import staff_required
from config.confirm import Confirmation, confirmation_page, is_confirmed, is_going_back
from config.forms import apply_validation_error, filtered, list_query
from grants.signatures.models import IssuedDocument
from grants.signatures.services import checklist_suggestion, signing_state
from programmes.models import Programme
from programmes.permissions import restrict_to_managed

from ..exports import call_offers_response
from ..filters import CallOfferFilter, StaffCallFilter
from ..forms import (
    AllocationFormSet,
    CriterionFormSet,
    FormalReviewForm,
    OpenCallForm,
    RequiredAttachmentFormSet,
)
from ..forms.offers import duplicate_number_message
from ..models import FormalReview, Offer, OpenCall
from ..permissions import managed_calls, managed_offers
from ..selectors import call_offer_totals
from ..services import calls as call_services
from ..services import offers as offer_services
from ..snapshot import readable_diff

EDITABLE_CALL = {OpenCall.Status.DRAFT}


def _call(request, pk: int) -> OpenCall:
    return get_object_or_404(managed_calls(request).select_related("authority", "programme").with_funds(), pk=pk)


@staff_required
def staff_call_list(request):
    calls = managed_calls(request).with_funds().select_related("programme").order_by("-submission_deadline")
    filterset = StaffCallFilter(request.GET or None, queryset=calls)
    page = Paginator(filtered(filterset), 50).get_page(request.GET.get("strona"))
    return render(
        request, "grants/staff_call_list.html", {"page": page, "filter": filterset, "query": list_query(request)}
    )


@staff_required
@require_http_methods(["GET", "POST"])
def call_edit(request, pk: int | None = None):
    call = _call(request, pk) if pk else None
    if call and call.status not in EDITABLE_CALL:
        messages.error(request, "Ogłoszonego konkursu nie można zmieniać – można go unieważnić (art. 18a).")
        return redirect("grants:call-dashboard", pk=call.pk)
    source = _copy_source(request) if call is None else None
    programmes = restrict_to_managed(request, Programme.objects.exclude(status=Programme.Status.REPORTED))
    initial = call_services.copy_initial(source) if source else {}
    if source and (latest := programmes.order_by("-year_from").first()):
        initial["programme"] = latest.pk
    form = OpenCallForm(request.POST or None, instance=call, programmes=programmes, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                saved = call_services.call_save(
                    call=form.save(commit=False),
                    task_areas=form.cleaned_data["task_areas"],
                    actor=request.user,
                    copy_from=source,
                )
        except IntegrityError:  # the same number saved by someone else a moment ago
            form.add_error("number", duplicate_number_message(form.cleaned_data["number"]))
        else:
            messages.success(request, f"Zapisano ogłoszenie konkursu {saved.number}.")
            return redirect("grants:call-dashboard", pk=saved.pk)
    return render(
        request,
        "grants/call_form.html",
        {"form": form, "call": call, "source": source, "copyable": _copyable(request) if call is None else None},
    )


def _copy_source(request) -> OpenCall | None:
    """The earlier call a new one copies (``?z=<id>`` on the form, a hidden field when it is saved)."""
    value = request.POST.get("z") or request.GET.get("z") or ""
    if not value.isdigit():
        return None
    calls = managed_calls(request).prefetch_related("task_areas", "criteria", "required_attachments")
    return calls.filter(pk=int(value)).first()


def _copyable(request):
    """Earlier calls to start a new one from, the latest first."""
    return managed_calls(request).order_by("-delivery_start", "-pk").only("pk", "number", "title")[:100]


def _call_formset_page(request, pk, formset_class, title, message, save, extra=None, **kwargs):
    call = _call(request, pk)
    if call.status not in EDITABLE_CALL:
        messages.error(request, "Ogłoszonego konkursu nie można zmieniać.")
        return redirect("grants:call-dashboard", pk=call.pk)
    formset = formset_class(request.POST or None, instance=call, **kwargs)
    if request.method == "POST" and formset.is_valid():
        try:
            save(call, formset)
        except ValidationError as error:
            formset._non_form_errors = formset.error_class(error.messages)
        else:
            messages.success(request, message)
            return redirect("grants:call-dashboard", pk=call.pk)
    return render(
        request, "grants/call_formset.html", {"call": call, "formset": formset, "title": title, **(extra or {})}
    )


def _save_formset(request):
    def save(call, formset):
        with transaction.atomic(), acting_as(request.user):
            formset.save()

    return save


@staff_required
@require_http_methods(["GET", "POST"])
def call_budget(request, pk: int):
    call = _call(request, pk)

    def save(call, formset):
        allocations = {}
        for form in formset.forms:
            if form.cleaned_data and not form.cleaned_data.get("DELETE"):
                line = form.cleaned_data["budget_line"]
                allocations[line.pk] = allocations.get(line.pk, 0) + form.cleaned_data["amount"]
        call_services.call_allocate(call=call, allocations=allocations, actor=request.user)

    return _call_formset_page(
        request,
        pk,
        AllocationFormSet,
        "Środki konkursu z budżetu programu",
        "Zapisano środki konkursu.",
        save,
        form_kwargs={"programme": call.programme},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def call_criteria(request, pk: int):
    return _call_formset_page(
        request,
        pk,
        CriterionFormSet,
        "Kryteria oceny ofert",
        "Zapisano kryteria.",
        _save_formset(request),
        extra={"defaults_url": reverse("grants:call-criteria-default", args=[pk])},
    )


@staff_required
@require_POST
def call_criteria_default(request, pk: int):
    """Replace a draft call's criteria with the default set of art. 15 ust. 1."""
    call = _call(request, pk)
    try:
        call_services.call_criteria_reset(call=call, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("grants:call-dashboard", pk=call.pk)
    messages.success(request, "Wstawiono kryteria domyślne z art. 15 ust. 1 ustawy – sprawdź punktację.")
    return redirect("grants:call-criteria", pk=call.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def call_required_attachments(request, pk: int):
    return _call_formset_page(
        request,
        pk,
        RequiredAttachmentFormSet,
        "Wymagane załączniki",
        "Zapisano listę wymaganych załączników.",
        _save_formset(request),
    )


def _announcement_confirmation(call: OpenCall) -> Confirmation:
    deadline = date_format(localtime(call.submission_deadline), "d.m.Y, H:i")
    return Confirmation(
        title=f"Ogłoś konkurs {call.number}",
        action="ogłoś konkurs",
        consequences=[
            f"Ogłoszenie „{call.title}” pojawi się na publicznej liście konkursów, w kanale Atom i jako PDF; "
            f"organizacje będą mogły składać oferty do {deadline}.",
            "Ogłoszenia nie można później zmieniać – można je tylko unieważnić, podając przyczynę (art. 18a ustawy).",
        ],
        notified=[
            "Nikt nie dostaje wiadomości e-mail; subskrybenci kanału Atom zobaczą nowy konkurs. Ogłoszenie "
            "publikujecie też w BIP, na tablicy ogłoszeń i na stronie internetowej urzędu (art. 13 ust. 3)."
        ],
    )


@staff_required
@require_POST
def call_transition(request, pk: int, action: str):
    call = _call(request, pk)
    S = OpenCall.Status
    if is_going_back(request):
        return redirect("grants:call-dashboard", pk=call.pk)
    try:
        if action == "oglos" and not is_confirmed(request):
            if errors := call_services.call_publish_errors(call):
                raise ValidationError(list(errors.values()))
            return confirmation_page(request, _announcement_confirmation(call))
        if action == "oglos":
            call_services.call_publish(call=call, actor=request.user)
            messages.success(request, "Konkurs ogłoszony. Nabór ofert trwa do terminu z ogłoszenia.")
        elif action == "zamknij-nabor":
            call_services.call_set_status(call=call, status=S.SUBMISSION_CLOSED, actor=request.user)
            messages.success(request, "Nabór zamknięty.")
        elif action == "ocena-formalna":
            call_services.call_set_status(call=call, status=S.FORMAL_REVIEW, actor=request.user)
            messages.success(request, "Rozpoczęto ocenę formalną ofert.")
        elif action == "uniewaznij":
            call_services.call_set_status(
                call=call, status=S.ANNULLED, actor=request.user, reason=request.POST.get("reason", "")
            )
            messages.success(request, "Konkurs unieważniony.")
        else:
            raise ValidationError("Nieznana operacja.")
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    return redirect("grants:call-dashboard", pk=call.pk)


@staff_required
def call_dashboard(request, pk: int):
    call = _call(request, pk)
    filterset = CallOfferFilter(request.GET or None, queryset=Offer.objects.for_call_table(call).submitted())
    offers = filtered(filterset)
    page = Paginator(offers, 50).get_page(request.GET.get("strona"))
    query = request.GET.copy()
    query.pop("strona", None)
    totals = call_offer_totals(call)
    return render(
        request,
        "grants/call_dashboard.html",
        {
            "call": call,
            "filter": filterset,
            "page": page,
            "query": query.urlencode(),
            "totals": totals,
            "drafts": Offer.objects.filter(call=call, status=Offer.Status.DRAFT).count(),
            "budget_allocations": call.budget_allocations.select_related("budget_line"),
            "criteria": call.criteria.all(),
            "required_attachments": call.required_attachments.all(),
        },
    )


@staff_required
def call_offers_export(request, pk: int, fmt: str):
    call = _call(request, pk)
    offers = Offer.objects.for_call_table(call).submitted()
    return call_offers_response(call, filtered(CallOfferFilter(request.GET or None, queryset=offers)), fmt)


def _formal_review_confirmation(offer: Offer, version, decision: dict) -> Confirmation:
    outcome = FormalReview.Outcome(decision["outcome"])
    status = {
        FormalReview.Outcome.PASSED: Offer.Status.FORMALLY_ACCEPTED,
        FormalReview.Outcome.REJECTED: Offer.Status.FORMALLY_REJECTED,
        FormalReview.Outcome.DEFECTS: Offer.Status.DEFECT_NOTICE,
    }[outcome]
    consequences = [f"Oferta {version.receipt_number} ({offer.organisation.name}) otrzyma status „{status.label}”."]
    failing = [str(label) for key, label in FormalReview.CHECKLIST if not decision["checklist"].get(key)]
    if failing:
        consequences.append("Niepotwierdzone warunki: " + "; ".join(failing) + ".")
    if outcome == FormalReview.Outcome.DEFECTS:
        consequences.append(
            "Organizacja może poprawić ofertę do " + date_format(localtime(decision["deadline"]), "d.m.Y, H:i") + "."
        )
    elif outcome == FormalReview.Outcome.PASSED:
        consequences.append("Oferta przejdzie do oceny merytorycznej komisji konkursowej.")
    else:
        consequences.append("Oferta nie będzie oceniana merytorycznie.")
    return Confirmation(
        title=f"Potwierdź wynik oceny formalnej: {outcome.label}",
        action="zapisz wynik oceny formalnej",
        consequences=consequences,
        notified=[f"{offer.organisation.name} – e-mail z wynikiem oceny na adres organizacji i osoby do kontaktu"],
    )


@staff_required
@require_http_methods(["GET", "POST"])
def offer_review(request, pk: int):
    offer = get_object_or_404(managed_offers(request).select_related("call", "organisation", "current_version"), pk=pk)
    versions = list(offer.versions.select_related("submitted_by"))
    if not versions:
        messages.error(request, "Ta oferta nie została jeszcze złożona.")
        return redirect("grants:call-dashboard", pk=offer.call_id)
    # The item "signed by the persons authorised to represent" is filled from the verified signed copy, if any.
    _signed_document, signed_copy = signing_state(IssuedDocument.Kind.OFFER, offer.pk, versions[-1].number)
    confirmed, why_not = checklist_suggestion(signed_copy)
    form = FormalReviewForm(request.POST or None, initial={"check_signatories": confirmed, "note_signatories": why_not})
    if request.method == "POST" and form.is_valid() and not is_going_back(request):
        decision = {
            "checklist": form.checklist(),
            "unconfirmed_reasons": form.unconfirmed_reasons(),
            "outcome": form.cleaned_data["outcome"],
            "reasons": form.cleaned_data["reasons"],
            "deadline": form.cleaned_data["deadline"],
        }
        try:
            offer_services.formal_review_validate(offer=offer, **decision)
            if not is_confirmed(request):
                return confirmation_page(request, _formal_review_confirmation(offer, versions[-1], decision))
            offer_services.formal_review_decide(offer=offer, actor=request.user, **decision)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Zapisano wynik oceny formalnej.")
            return redirect("grants:call-dashboard", pk=offer.call_id)
    current = versions[-1]
    changes = readable_diff(versions[-2].data, current.data) if len(versions) > 1 else []
    return render(
        request,
        "grants/offer_review.html",
        {
            "offer": offer,
            "call": offer.call,
            "versions": versions,
            "version": current,
            "data": current.data,
            "changes": changes,
            "form": form,
            "reviews": offer.formal_reviews.select_related("reviewer"),
            "attachments": offer.attachments.select_related("required"),
            "signed_copy": signed_copy,
            "signed_document": _signed_document,
        },
    )
