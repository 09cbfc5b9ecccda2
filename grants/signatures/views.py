"""The public "verify a document" page, and signed copies: upload, result, the issued PDF to sign."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.ratelimit import TOO_MANY, limit_reached
from config.forms import apply_validation_error

from . import services
from .checking import check_number, check_pdf
from .forms import SignedCopyForm, VerifyForm
from .models import IssuedDocument, SignedCopy
from .parties import SIGNABLE, parties_of, party_of
from .seal import seal_info


@require_http_methods(["GET", "POST"])
def verify(request):
    """Anyone may check a document: upload the PDF, or type its number and checksum."""
    form = VerifyForm(request.POST or None, request.FILES or None)
    result, status = None, 200
    if request.method == "POST" and form.is_valid():
        if limit_reached(request, "document-verify"):
            form.add_error(None, TOO_MANY)
            status = 429
        elif form.cleaned_data["pdf"]:
            result = check_pdf(form.cleaned_data["pdf"])
        else:
            result = check_number(form.cleaned_data["number"], form.cleaned_data["checksum"])
    return render(
        request, "signatures/verify.html", {"form": form, "result": result, "seal": seal_info()}, status=status
    )


def _document_for(request, pk: int) -> tuple[IssuedDocument, object, str]:
    document = get_object_or_404(IssuedDocument, pk=pk, kind__in=SIGNABLE, status=IssuedDocument.Status.READY)
    parties = parties_of(document)
    party = party_of(request, parties)
    if party is None:
        raise Http404
    return document, parties, party


@login_required
def document_pdf(request, pk: int):
    """The issued (sealed) PDF as the parties download it to sign."""
    document, _parties, _party = _document_for(request, pk)
    response = HttpResponse(document.read(), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{document.number}.pdf"'
    response["X-Content-SHA256"] = document.sha256
    return response


@login_required
@require_http_methods(["GET", "POST"])
def copy_upload(request, pk: int):
    """The party's signed copy of an issued document: upload and verification."""
    document, parties, party = _document_for(request, pk)
    form = SignedCopyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.signed_copy_submit(
                document=document,
                party=party,
                actor=request.user,
                signature=form.cleaned_data["signature"],
                content=form.cleaned_data["content"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if copy.result == SignedCopy.Result.VERIFIED:
                messages.success(request, "Podpis zweryfikowany: wynik zapisano przy dokumencie.")
            else:
                messages.error(request, "Podpisany dokument odrzucono – przyczyny podano niżej.")
            return redirect("signatures:copy-detail", pk=copy.pk)
    copies = document.signed_copies.filter(party=party).select_related("uploaded_by")[:10]
    return render(
        request,
        "signatures/copy_upload.html",
        {"form": form, "document": document, "parties": parties, "party": party, "copies": copies},
    )


@login_required
def copy_detail(request, pk: int):
    copy = get_object_or_404(SignedCopy.objects.select_related("document", "uploaded_by"), pk=pk)
    parties = parties_of(copy.document)
    if party_of(request, parties) is None:
        raise Http404
    return render(request, "signatures/copy_detail.html", {"copy": copy, "document": copy.document, "parties": parties})


@login_required
@require_POST
def agreement_seal(request, pk: int):
    document, parties, party = _document_for(request, pk)
    if party != "authority" or document.kind != IssuedDocument.Kind.AGREEMENT:
        raise Http404
    try:
        copy = services.agreement_seal(document=document, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("signatures:copy-upload", pk=document.pk)
    messages.success(request, "Nałożono pieczęć urzędu: umowa jest zawarta.")
    return redirect("signatures:copy-detail", pk=copy.pk)
