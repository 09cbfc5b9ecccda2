"""One staff page for correcting any frozen publication (korekta): the year-end report, the adopted programme, the
consultation report, call results and the commission's protocol.

A correction freezes the document as its data stands now as the next numbered version, with its reason; earlier
versions stay readable and the document's public page shows the change register (BIP: rozporządzenie MSWiA z 18
stycznia 2007 r., § 10 and § 11). Only staff of the document's authority who may publish that kind of document reach
the page: any staff member for the report, the programme and the consultation report; for call results and the
protocol, which the decision publishes, only those authorised to decide. The correction is confirmed first
(``config.confirm``), stating what will happen.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.permissions import staff_required
from accounts.roles import roles_of
from config.confirm import Confirmation, confirmation_page, is_confirmed, is_going_back
from config.forms import apply_validation_error
from config.polish import format_date
from config.tenancy import current_authority

from .forms import CorrectionForm
from .models import Publication
from .publication_views import document_url
from .publications import document_type_of, publication_correct

K = Publication.Kind


@dataclass(frozen=True)
class Document:
    """What the correction page needs to know of the document a publication belongs to."""

    instance: object
    authority_id: int
    deciders_only: bool
    staff_url: str  # the staff page of the document, where the live data (working draft) is


def _document(publication: Publication) -> Document | None:
    kind, pk = publication.kind, publication.object_id
    if kind == K.ANNUAL_REPORT:
        from .models import AnnualReport

        report = AnnualReport.objects.select_related("programme").filter(pk=pk).first()
        if report is None:
            return None
        url = reverse("reports:annual", args=[report.programme_id]) + "?wersja=robocza"
        return Document(report, report.programme.authority_id, False, url)
    if kind == K.PROGRAMME:
        from programmes.models import Programme

        programme = Programme.objects.filter(pk=pk).first()
        if programme is None:
            return None
        return Document(programme, programme.authority_id, False, reverse("programmes:staff-detail", args=[pk]))
    if kind == K.CONSULTATION_REPORT:
        from consultations.models import Consultation

        consultation = Consultation.objects.filter(pk=pk).first()
        if consultation is None:
            return None
        url = reverse("consultations:staff-detail", args=[pk])
        return Document(consultation, consultation.authority_id, False, url)
    if kind == K.CALL_RESULTS:
        from grants.models import OpenCall

        call = OpenCall.objects.filter(pk=pk).first()
        if call is None:
            return None
        return Document(call, call.authority_id, True, reverse("grants:call-decision", args=[pk]))
    if kind == K.PROTOCOL:
        from grants.models import Commission

        commission = Commission.objects.select_related("call").filter(pk=pk).first()
        if commission is None:
            return None
        url = reverse("grants:commission-protocol", args=[commission.call_id])
        return Document(commission, commission.call.authority_id, True, url)
    return None


def may_correct(request, publication_kind: str, authority_id: int) -> bool:
    """Staff of the document's authority who may publish it (deciders for results and the protocol); inside an
    authority's space, only that authority's documents."""
    roles = roles_of(request)
    space = current_authority(request)
    if space is not None and authority_id != space.pk:
        return False
    if roles.superuser:
        return True
    if publication_kind in (K.CALL_RESULTS, K.PROTOCOL):
        return authority_id in roles.decider_authority_ids
    return authority_id in roles.staff_authority_ids


def correction_url(request, kind: str, object_id: int, authority_id: int) -> str:
    """For a document's staff page: its correction page, or "" when it was never frozen or this person may not
    correct it."""
    if not request.user.is_authenticated or not may_correct(request, kind, authority_id):
        return ""
    current = Publication.objects.filter(kind=kind, object_id=object_id).order_by("-version").only("pk").first()
    return reverse("reports:publication-correct", args=[current.pk]) if current else ""


def _confirmation(publication: Publication, current: Publication, request, reason: str) -> Confirmation:
    label = K(publication.kind).label
    version = current.version + 1
    return Confirmation(
        title=f"Opublikuj korektę: {current.title}",
        action=f"opublikuj wersję {version} (korektę)",
        consequences=[
            f"Dokument ({label}) zostanie utrwalony w obecnym stanie danych jako wersja {version} (korekta): treść "
            "strony i PDF z sumą kontrolną SHA-256. PDF przygotuje serwer w tle – do tego czasu strona pokaże "
            "„PDF w przygotowaniu”.",
            f"Strona publiczna dokumentu i jego PDF będą odtąd pokazywać wersję {version}. Wersja {current.version} "
            f"z {format_date(timezone.localtime(current.published_at))} i wszystkie wcześniejsze pozostaną dostępne "
            "w rejestrze zmian.",
            "W rejestrze zmian zapisze się: kto przygotował dokument, kto opublikował korektę "
            f"({request.user.get_full_name() or request.user.email}), data i godzina oraz powód: „{reason}”.",
        ],
        notified=["Nikt nie dostanie wiadomości: korekta pojawi się na stronie dokumentu z rejestrem zmian."],
        final="Korekty nie można cofnąć ani usunąć; błąd w niej poprawia się kolejną korektą.",
    )


@staff_required
@require_http_methods(["GET", "POST"])
def publication_correct_page(request, pk: int):
    """Korekta of the document ``pk`` (any of its versions) belongs to: reason, confirmation, version N+1."""
    publication = get_object_or_404(Publication, pk=pk)
    document = _document(publication)
    if document is None or not may_correct(request, publication.kind, document.authority_id):
        raise Http404
    current = Publication.objects.current(publication.kind, publication.object_id)
    form = CorrectionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not is_going_back(request) and form.is_valid():
        reason = form.cleaned_data["reason"].strip()
        if not is_confirmed(request):
            return confirmation_page(request, _confirmation(publication, current, request, reason))
        try:
            corrected = publication_correct(actor=request.user, document=document.instance, reason=reason)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Opublikowano korektę – wersja {corrected.version}.")
            return redirect(document_url(corrected) or reverse("reports:publication", args=[corrected.pk]))
    return render(
        request,
        "reports/publication_correct.html",
        {
            "publication": current,
            "kind_label": K(publication.kind).label,
            "form": form,
            "staff_url": document.staff_url,
            "document_url": document_url(current),
            "versions": list(Publication.objects.of(current.kind, current.object_id)),
            "title": document_type_of(document.instance).title,
        },
    )
