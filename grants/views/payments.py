"""Payments of tranches (office): one transfer from the agreement page, a batch from the list of tranches due, the
list as CSV / XLSX for the finance department, and an import of transfers made with a preview before saving."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import staff_required
from config.forms import apply_validation_error
from config.pagination import page_by_ids
from programmes.permissions import managed_authorities, managed_authority_ids, restrict_to_managed
from reports.templatetags.formatting import format_money, polish_plural

from ..forms.payments import BatchPaymentForm, PaymentFilter, PaymentImportForm, TranchePaymentForm
from ..models import Agreement, Award, OpenCall, Tranche
from ..payment_files import decode, import_preview, payments_response
from ..services import payments as services
from .awards import agreement_page

DEFAULT_FILTER = {"status": "do-przekazania"}


def managed_tranches(request):
    """Tranches of the agreements of the authorities this office person manages (never drafts)."""
    return restrict_to_managed(request, Tranche.objects.all(), lookup="agreement__authority_id").exclude(
        agreement__status=Agreement.Status.DRAFT
    )


def _filter(request) -> PaymentFilter:
    data = request.GET.copy() if request.GET else QueryDict(mutable=True)
    if not any(key in data for key in PaymentFilter.base_filters):
        data.update(DEFAULT_FILTER)
    authorities = managed_authorities(request).order_by("name")
    # The calls whose agreements have tranches, asked call by call (EXISTS) instead of joining every award and
    # agreement of the installation and making the calls DISTINCT; only what the choice label shows is read.
    with_agreements = Award.objects.filter(call=OuterRef("pk"), agreement__isnull=False)
    return PaymentFilter(
        data,
        queryset=managed_tranches(request).for_payment_list(),
        authorities=authorities,
        calls=restrict_to_managed(request, OpenCall.objects.all())
        .exclude(status=OpenCall.Status.DRAFT)
        .filter(Exists(with_agreements))
        .only("pk", "number", "title")
        .order_by("-delivery_start", "number"),
        request=request,
    )


def _several_authorities(request, filterset: PaymentFilter) -> bool:
    """Whether to show the authority filter; the authorities are read only for someone who may manage several."""
    ids = managed_authority_ids(request)
    if ids is not None and len(ids) < 2:
        return False
    return len(filterset.filters["authority"].queryset) > 1


def _filtered(filterset: PaymentFilter):
    return filterset.qs if filterset.is_valid() else filterset.queryset.none()


def _query(request) -> str:
    data = request.GET.copy()
    data.pop("strona", None)
    return data.urlencode()


@staff_required
@require_http_methods(["GET", "POST"])
def payment_list(request):
    """Tranches due or paid, filtered; ticked unpaid tranches are recorded as sent on one day (all or nothing)."""
    filterset = _filter(request)
    tranches = _filtered(filterset)
    form = BatchPaymentForm(request.POST or None, tranches=managed_tranches(request).unpaid())
    if request.method == "POST" and form.is_valid():
        chosen = list(form.cleaned_data["tranches"].select_related("agreement"))
        try:
            saved = services.tranches_pay(
                payments=[services.Payment(t, form.cleaned_data["paid_on"], t.amount) for t in chosen],
                actor=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            total = sum(t.amount for t in saved)
            count = len(saved)
            messages.success(
                request,
                f"Zapisano {count} {polish_plural(count, 'przelew', 'przelewy', 'przelewów')} "
                f"na łączną kwotę {format_money(total)}.",
            )
            return redirect(request.get_full_path())
    page = page_by_ids(tranches, 100, request.GET.get("strona"), rows=tranches.payment_rows())
    chosen_ids = {int(pk) for pk in request.POST.getlist("tranches") if pk.isdigit()}
    return render(
        request,
        "grants/payments/list.html",
        {
            "filter": filterset,
            "page": page,
            "form": form,
            "chosen_ids": chosen_ids,
            "query": _query(request),
            "export_query": filterset.data.urlencode(),
            "several_authorities": _several_authorities(request, filterset),
            "today": timezone.localdate(),
        },
    )


@staff_required
def payments_export(request, fmt: str):
    return payments_response(_filtered(_filter(request)), fmt)


@staff_required
@require_http_methods(["GET", "POST"])
def payment_import(request):
    """Upload → preview (matched and unmatched rows, nothing saved) → confirm (all rows saved, or none)."""
    form = PaymentImportForm(request.POST or None, request.FILES or None)
    preview, text = None, ""
    if request.method == "POST" and request.POST.get("action") == "save":
        text = request.POST.get("content", "")[: 2 * 1024 * 1024]
        preview = import_preview(text, managed_tranches(request))
        if preview.can_save:
            try:
                saved = services.tranches_pay(payments=preview.payments(), actor=request.user)
            except ValidationError as error:
                messages.error(request, "Nic nie zapisano: " + " ".join(error.messages))
                preview = import_preview(text, managed_tranches(request))
            else:
                count = len(saved)
                messages.success(
                    request,
                    f"Zaimportowano {count} {polish_plural(count, 'przelew', 'przelewy', 'przelewów')} "
                    f"na łączną kwotę {format_money(sum(t.amount for t in saved))}.",
                )
                return redirect("grants:payment-list")
        form = PaymentImportForm()
    elif request.method == "POST" and form.is_valid():
        text = decode(form.cleaned_data["file"].read())
        preview = import_preview(text, managed_tranches(request))
    return render(request, "grants/payments/import.html", {"form": form, "preview": preview, "content": text})


@staff_required
@require_POST
def tranche_pay(request, pk: int):
    """The transfer of one tranche from the agreement page; refused input stays on the page with its error."""
    tranche = get_object_or_404(managed_tranches(request).select_related("agreement"), pk=pk)
    form = TranchePaymentForm(request.POST, prefix=f"t{tranche.pk}")
    if form.is_valid():
        try:
            services.tranche_pay(tranche=tranche, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                f"Zapisano przelew transzy nr {tranche.number} ({format_money(tranche.amount)}) "
                f"z {form.cleaned_data['paid_on']:%d.%m.%Y}.",
            )
            return redirect("grants:agreement-detail", pk=tranche.agreement_id)
    return agreement_page(request, tranche.agreement_id, payment_forms={tranche.pk: form})


@staff_required
@require_POST
def tranche_payment_cancel(request, pk: int):
    """Undo a transfer recorded by mistake (the form asks to confirm)."""
    tranche = get_object_or_404(managed_tranches(request).select_related("agreement"), pk=pk)
    if request.POST.get("confirm") != "1":
        messages.error(request, "Potwierdź cofnięcie zapisu przelewu.")
    else:
        try:
            services.tranche_payment_cancel(tranche=tranche, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Cofnięto zapis przelewu transzy nr {tranche.number}.")
    return redirect("grants:agreement-detail", pk=tranche.agreement_id)
