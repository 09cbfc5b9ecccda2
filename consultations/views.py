from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import staff_required
from config.forms import apply_validation_error, filtered
from config.tenancy import scoped
from programmes.models import Programme
from programmes.permissions import managed_authorities, restrict_to_managed
from programmes.services import programme_draft_text
from reports.corrections import correction_url
from reports.models import Publication
from reports.pdf import pdf_response
from reports.publication_views import frozen_context, frozen_pdf_response

from . import services
from .documents import report_context
from .filters import StaffConsultationFilter
from .forms import CommentForm, ConsultationForm, ReportForm, ResponseForm
from .models import Consultation, ConsultationComment
from .permissions import commenting_organisations


def consultation_list(request):
    consultations = scoped(request, Consultation.objects.public()).select_related("authority").with_comment_counts()
    return render(request, "consultations/consultation_list.html", {"consultations": consultations})


def _comment_form_context(request, consultation, form=None, comment=None) -> dict:
    organisations = commenting_organisations(request)
    open_now = consultation.accepts_comments_at(timezone.now())
    if form is None and open_now and organisations:
        form = CommentForm(instance=comment, consultation=consultation, organisations=organisations)
    own_comments = (
        consultation.comments.filter(organisation__in=organisations).select_related("provision", "organisation")
        if organisations
        else []
    )
    return {"form": form, "open_now": open_now, "own_comments": own_comments, "comment": comment}


def consultation_detail(request, pk: int):
    consultation = get_object_or_404(
        scoped(request, Consultation.objects.public()).select_related("authority", "programme"), pk=pk
    )
    context = {"consultation": consultation, "provisions": consultation.provisions.all()}
    context.update(_comment_form_context(request, consultation))
    return render(request, "consultations/consultation_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def comment_edit(request, pk: int, comment_pk: int | None = None):
    """Write, save as draft, or submit a comment. Drafts are visible only to the organisation's people."""
    consultation = get_object_or_404(scoped(request, Consultation.objects.public()), pk=pk)
    comment = None
    if comment_pk is not None:
        comment = get_object_or_404(
            ConsultationComment.objects.drafts_of(request.user), pk=comment_pk, consultation=consultation
        )
    organisations = commenting_organisations(request)
    if not organisations:
        messages.error(request, "Uwagi zgłaszają członkowie organizacji. Zarejestruj organizację lub dołącz do niej.")
        return redirect("consultations:detail", pk=consultation.pk)
    form = CommentForm(request.POST or None, instance=comment, consultation=consultation, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        try:
            saved = services.comment_save(
                consultation=consultation,
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                provision=form.cleaned_data["provision"],
                proposed_wording=form.cleaned_data["proposed_wording"],
                justification=form.cleaned_data["justification"],
                submit=submit,
                comment=comment,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if submit:
                messages.success(request, "Uwaga została złożona. Stanowisko urzędu znajdzie się w sprawozdaniu.")
                return redirect("consultations:detail", pk=consultation.pk)
            messages.success(request, "Zapisano wersję roboczą uwagi. Widzą ją tylko osoby z Twojej organizacji.")
            return redirect("consultations:comment-edit", pk=consultation.pk, comment_pk=saved.pk)
    context = {"consultation": consultation, "provisions": consultation.provisions.all()}
    context.update(_comment_form_context(request, consultation, form=form, comment=comment))
    return render(request, "consultations/consultation_detail.html", context)


def _reported(request, pk: int) -> Consultation:
    return get_object_or_404(
        scoped(request, Consultation.objects.filter(status=Consultation.Status.REPORTED)).select_related(
            "authority", "programme"
        ),
        pk=pk,
    )


def consultation_report(request, pk: int):
    """The report as published (frozen); reports published before freezing existed are rendered live."""
    consultation = _reported(request, pk)
    current = Publication.objects.current(Publication.Kind.CONSULTATION_REPORT, consultation.pk)
    if current is None:
        return render(request, "consultations/report.html", report_context(consultation))
    return render(request, "consultations/report.html", {**frozen_context(current), "consultation": consultation})


def consultation_report_pdf(request, pk: int):
    consultation = _reported(request, pk)
    filename = f"sprawozdanie-z-konsultacji-{pk}.pdf"
    current = Publication.objects.current(Publication.Kind.CONSULTATION_REPORT, consultation.pk)
    if current is not None:
        return frozen_pdf_response(request, current, filename)
    return pdf_response("consultations/report_pdf.html", report_context(consultation), filename)


# --- office pages --------------------------------------------------------------------------------------------


def _managed(request, pk: int) -> Consultation:
    queryset = restrict_to_managed(request, Consultation.objects.select_related("authority", "programme"))
    return get_object_or_404(queryset, pk=pk)


@staff_required
def staff_consultation_list(request):
    consultations = restrict_to_managed(request, Consultation.objects.with_comment_counts().select_related("programme"))
    filterset = StaffConsultationFilter(request.GET or None, queryset=consultations)
    return render(request, "consultations/staff_list.html", {"consultations": filtered(filterset), "filter": filterset})


@staff_required
@require_http_methods(["GET", "POST"])
def consultation_create(request):
    programme = None
    if programme_id := request.GET.get("program"):
        programme = get_object_or_404(restrict_to_managed(request, Programme.objects.all()), pk=programme_id)
    draft = programme_draft_text(programme) if programme else None
    initial = {"title": f"Projekt uchwały w sprawie przyjęcia {programme.title_genitive}"} if programme else {}
    form = ConsultationForm(request.POST or None, request.FILES or None, programme_draft=draft, initial=initial)
    authorities = managed_authorities(request)
    if request.method == "POST" and form.is_valid():
        authority = programme.authority if programme else authorities.first()
        try:
            consultation = services.consultation_create(
                actor=request.user, authority=authority, data=form.service_data(), programme=programme
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Przygotowano konsultacje. Sprawdź podział projektu na przepisy i ogłoś je.")
            return redirect("consultations:staff-detail", pk=consultation.pk)
    return render(request, "consultations/consultation_form.html", {"form": form, "programme": programme})


@staff_required
def staff_consultation_detail(request, pk: int):
    consultation = _managed(request, pk)
    comments = consultation.comments.for_report().select_related("responded_by")
    rows = [
        (
            comment,
            ResponseForm(prefix=f"c{comment.pk}", initial={"decision": comment.decision, "response": comment.response}),
        )
        for comment in comments
    ]
    return render(
        request,
        "consultations/staff_detail.html",
        {
            "consultation": consultation,
            "rows": rows,
            "unanswered": sum(1 for comment in comments if not comment.decision),
            "provisions": consultation.provisions.all(),
            "report_form": ReportForm(
                initial={"summary": consultation.summary, "rdpp_opinion": consultation.rdpp_opinion}
            ),
            "now": timezone.now(),
            "correct_url": correction_url(
                request, Publication.Kind.CONSULTATION_REPORT, consultation.pk, consultation.authority_id
            ),
        },
    )


@staff_required
@require_POST
def comment_respond(request, pk: int, comment_pk: int):
    consultation = _managed(request, pk)
    comment = get_object_or_404(consultation.comments.submitted(), pk=comment_pk)
    form = ResponseForm(request.POST, prefix=f"c{comment.pk}")
    if form.is_valid():
        try:
            services.comment_respond(comment=comment, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Zapisano stanowisko do uwagi organizacji „{comment.organisation}”.")
    else:
        messages.error(request, "Wybierz stanowisko i podaj jego uzasadnienie.")
    return redirect(reverse("consultations:staff-detail", args=[consultation.pk]) + f"#uwaga-{comment.pk}")


@staff_required
@require_POST
def consultation_transition(request, pk: int, action: str):
    consultation = _managed(request, pk)
    try:
        if action == "oglos":
            services.consultation_announce(consultation=consultation, actor=request.user)
            messages.success(request, "Konsultacje ogłoszone. Organizacje mogą zgłaszać uwagi w wyznaczonym okresie.")
        elif action == "zamknij":
            services.consultation_close(consultation=consultation, actor=request.user)
            messages.success(request, "Konsultacje zamknięte. Odpowiedz na uwagi i opublikuj sprawozdanie.")
        elif action == "sprawozdanie":
            form = ReportForm(request.POST)
            form.is_valid()
            services.consultation_publish_report(
                consultation=consultation,
                actor=request.user,
                summary=form.cleaned_data.get("summary", ""),
                rdpp_opinion=form.cleaned_data.get("rdpp_opinion", ""),
            )
            messages.success(request, "Opublikowano sprawozdanie z konsultacji.")
        else:
            raise Http404
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("consultations:staff-detail", pk=consultation.pk)
