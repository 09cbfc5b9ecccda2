"""Import of past years: upload → preview of every row (nothing saved) → confirm (all rows or none). Office staff of
the authority only; every import is recorded (``ImportBatch``) and audited."""

import base64
import binascii

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.permissions import staff_required
from config.polish import polish_plural
from programmes.permissions import managed_authorities, restrict_to_managed

from . import importers, services
from .files import MAX_BYTES, template_response
from .forms import ImportForm
from .models import ImportBatch

K = ImportBatch.Kind
KINDS = {
    "organizacje": (K.ORGANISATIONS, importers.ORGANISATION_COLUMNS, importers.ORGANISATION_EXAMPLE),
    "programy": (K.PROGRAMMES, importers.PROGRAMME_COLUMNS, importers.PROGRAMME_EXAMPLE),
    "umowy": (K.AGREEMENTS, importers.AGREEMENT_COLUMNS, importers.AGREEMENT_EXAMPLE),
}
NOUNS = {
    K.ORGANISATIONS: ("organizację", "organizacje", "organizacji"),
    K.PROGRAMMES: ("pozycję budżetu", "pozycje budżetu", "pozycji budżetu"),
    K.AGREEMENTS: ("umowę", "umowy", "umów"),
}


def _kind(slug: str):
    if slug not in KINDS:
        raise Http404
    return KINDS[slug]


@staff_required
def import_index(request):
    batches = restrict_to_managed(request, ImportBatch.objects.select_related("authority", "created_by"))[:50]
    return render(request, "imports/index.html", {"kinds": KINDS, "batches": batches})


@staff_required
def import_template(request, slug: str, file_format: str):
    kind, columns, example = _kind(slug)
    if file_format not in ("csv", "xlsx"):
        raise Http404
    return template_response(kind=slug, columns=columns, example=example, file_format=file_format)


@staff_required
@require_http_methods(["GET", "POST"])
def import_upload(request, slug: str):
    kind, columns, _example = _kind(slug)
    authorities = managed_authorities(request).order_by("name")
    if not authorities.exists():
        raise Http404
    form = ImportForm(request.POST or None, request.FILES or None, authorities=authorities)
    preview, encoded, file_name, authority = None, "", "", None
    if request.method == "POST" and request.POST.get("action") == "save":
        raw = request.POST.get("authority", "")
        authority = authorities.filter(pk=int(raw)).first() if raw.isdigit() and len(raw) < 10 else None
        form = ImportForm(authorities=authorities, initial={"authority": authority})
        encoded, file_name = request.POST.get("content", ""), request.POST.get("file_name", "")[:200]
        try:
            content = base64.b64decode(encoded.encode(), validate=True)
        except (binascii.Error, ValueError):
            content = b""
        if authority is None or not content or len(content) > MAX_BYTES:
            messages.error(request, "Nic nie zapisano: wczytaj plik ponownie.")
            return redirect("imports:upload", slug=slug)
        try:
            batch = services.import_save(
                kind=kind, authority=authority, content=content, file_name=file_name, actor=request.user
            )
        except ValidationError as error:
            messages.error(request, "Nic nie zapisano: " + " ".join(error.messages))
            preview = services.PREVIEWS[kind](content, file_name, authority)
        else:
            count = batch.row_count
            messages.success(
                request,
                f"Zaimportowano plik „{batch.file_name}” "
                f"({count} {polish_plural(count, 'wiersz', 'wiersze', 'wierszy')}) dla: {authority.name}.",
            )
            return redirect("imports:index")
    elif request.method == "POST" and form.is_valid():
        authority = form.cleaned_data["authority"]
        upload = form.cleaned_data["file"]
        content, file_name = upload.read(), upload.name[:200]
        preview = services.PREVIEWS[kind](content, file_name, authority)
        encoded = base64.b64encode(content).decode()
    context = {
        "slug": slug,
        "kind": kind,
        "kind_label": ImportBatch.Kind(kind).label,
        "columns": columns,
        "form": form,
        "preview": preview,
        "content": encoded,
        "file_name": file_name,
        "authority": authority,
        "nouns_csv": ",".join(NOUNS[kind]),
    }
    return render(request, "imports/upload.html", context)
