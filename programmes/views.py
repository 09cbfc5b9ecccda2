from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.audit import acting_as
from accounts.history import Target, history
from accounts.permissions import staff_required
from config.forms import apply_validation_error, filtered
from config.tenancy import scoped
from reports.corrections import correction_url
from reports.models import Publication
from reports.pdf import pdf_response
from reports.publication_views import frozen_context, frozen_pdf_response

from . import rules, services
from .documents import programme_context
from .filters import StaffProgrammeFilter
from .forms import (
    AdoptionForm,
    AmendmentForm,
    BudgetLineFormSet,
    CooperationActivityForm,
    IndicatorFormSet,
    NumberingForm,
    PriorityAreaFormSet,
    ProgrammeCopyForm,
    ProgrammeForm,
    overlap_message,
)
from .models import PRINCIPLES, CooperationActivity, Programme, ProgrammeAmendment
from .permissions import managed_authorities, restrict_to_managed

LOCKED_TEXT = {Programme.Status.ADOPTED, Programme.Status.IN_FORCE, Programme.Status.REPORTED}


def _public_programme(request, pk: int) -> Programme:
    return get_object_or_404(scoped(request, Programme.objects.public()).select_related("authority"), pk=pk)


def _public_context(programme: Programme) -> dict:
    """The public page: the frozen copy once the programme is adopted (with the change register), else live."""
    current = Publication.objects.current(Publication.Kind.PROGRAMME, programme.pk)
    if current is None:
        return programme_context(programme)
    return {
        **frozen_context(current),
        "programme": programme,
        "amendments": list(programme.amendments.all()),
        "consultations": list(programme.consultations.public().order_by("starts_at")),
    }


def programme_list(request):
    programmes = scoped(request, Programme.objects.public()).select_related("authority").with_total()
    return render(request, "programmes/programme_list.html", {"programmes": programmes})


def programme_detail(request, pk: int):
    return render(request, "programmes/programme_detail.html", _public_context(_public_programme(request, pk)))


def programme_pdf(request, pk: int):
    """The adopted programme's frozen PDF; before adoption the draft as it stands (a draft is not of record)."""
    programme = _public_programme(request, pk)
    filename = f"program-wspolpracy-{programme.year_from}.pdf"
    current = Publication.objects.current(Publication.Kind.PROGRAMME, programme.pk)
    if current is not None:
        return frozen_pdf_response(request, current, filename)
    return pdf_response("programmes/programme_pdf.html", programme_context(programme), filename)


# --- office pages --------------------------------------------------------------------------------------------


def _managed_programme(request, pk: int) -> Programme:
    return get_object_or_404(restrict_to_managed(request, Programme.objects.select_related("authority")), pk=pk)


@staff_required
def staff_programme_list(request):
    programmes = restrict_to_managed(request, Programme.objects.select_related("authority").with_total())
    filterset = StaffProgrammeFilter(request.GET or None, queryset=programmes)
    return render(
        request, "programmes/staff_programme_list.html", {"programmes": filtered(filterset), "filter": filterset}
    )


@staff_required
def staff_programme_detail(request, pk: int):
    programme = _managed_programme(request, pk)
    context = programme_context(programme)
    context.update(
        amendment_form=AmendmentForm(),
        publication=Publication.objects.current(Publication.Kind.PROGRAMME, programme.pk),
        correct_url=correction_url(request, Publication.Kind.PROGRAMME, programme.pk, programme.authority_id),
        staff_consultations=programme.consultations.with_comment_counts().order_by("starts_at"),
    )
    return render(request, "programmes/staff_programme_detail.html", context)


@staff_required
def programme_history(request, pk: int):
    """The programme's "Historia" tab: its changes, adoption and amendments from the audit log."""
    programme = _managed_programme(request, pk)
    targets = [
        Target(Programme, [programme.pk], subject="program"),
        Target(
            ProgrammeAmendment, ProgrammeAmendment.objects.filter(programme=programme).values("pk"), subject="zmiana"
        ),
    ]
    return render(
        request,
        "includes/history_page.html",
        {
            "title": f"Historia programu – {programme.title}",
            "heading": programme.title,
            "details_url": reverse("programmes:staff-detail", args=[programme.pk]),
            "events": history(targets),
            "back_label": "Program",
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def programme_copy(request, pk: int):
    """A new draft programme from this one (last year's areas, budget lines, indicators and texts)."""
    source = _managed_programme(request, pk)
    form = ProgrammeCopyForm(request.POST or None, initial={"year_from": source.year_to + 1})
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.programme_copy(source=source, year_from=form.cleaned_data["year_from"], actor=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        except IntegrityError:  # another request made a programme for that period a moment ago
            form.add_error("year_from", "Jednostka ma już program na ten okres.")
        else:
            messages.success(
                request,
                f"Utworzono projekt programu „{copy.title}”. Sprawdź treść, budżet i wskaźniki, a potem skieruj "
                "projekt do konsultacji.",
            )
            return redirect("programmes:staff-detail", pk=copy.pk)
    counts = {
        "areas": source.priority_areas.count(),
        "lines": source.budget_lines.count(),
        "indicators": source.indicators.count(),
    }
    return render(request, "programmes/copy.html", {"programme": source, "form": form, "counts": counts})


@staff_required
@require_http_methods(["GET", "POST"])
def programme_edit(request, pk: int | None = None):
    programme = _managed_programme(request, pk) if pk else None
    if programme and programme.status in LOCKED_TEXT:
        messages.error(request, "Treść uchwalonego programu zmienia się uchwałą zmieniającą – zapisz ją jako zmianę.")
        return redirect("programmes:staff-detail", pk=programme.pk)
    initial = None if programme else {"principles_text": f"Współpraca odbywa się na zasadach {PRINCIPLES}."}
    form = ProgrammeForm(
        request.POST or None, instance=programme, initial=initial, authorities=managed_authorities(request)
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic(), acting_as(request.user):
                saved = form.save()
        except IntegrityError:
            # Another request created a programme for the same period meanwhile (the database constraint held).
            other = (
                Programme.objects.filter(authority=form.instance.authority, year_from=form.cleaned_data["year_from"])
                .exclude(pk=form.instance.pk)
                .first()
            )
            form.add_error("year_from", overlap_message(other) if other else "Na ten okres jest już program.")
        else:
            messages.success(request, "Zapisano program współpracy.")
            return redirect("programmes:staff-detail", pk=saved.pk)
    return render(request, "programmes/programme_form.html", {"form": form, "programme": programme})


def _formset_page(request, pk: int, formset_class, template: str, message: str, **formset_kwargs):
    programme = _managed_programme(request, pk)
    formset = formset_class(request.POST or None, instance=programme, **formset_kwargs)
    if request.method == "POST" and formset.is_valid():
        with transaction.atomic(), acting_as(request.user):
            formset.save()
        messages.success(request, message)
        return redirect("programmes:staff-detail", pk=programme.pk)
    return render(request, template, {"programme": programme, "formset": formset})


@staff_required
@require_http_methods(["GET", "POST"])
def priority_areas_edit(request, pk: int):
    return _formset_page(
        request, pk, PriorityAreaFormSet, "programmes/priority_areas_form.html", "Zapisano obszary priorytetowe."
    )


@staff_required
@require_http_methods(["GET", "POST"])
def budget_edit(request, pk: int):
    programme = _managed_programme(request, pk)
    return _formset_page(
        request,
        pk,
        BudgetLineFormSet,
        "programmes/budget_form.html",
        "Zapisano budżet programu.",
        form_kwargs={"programme": programme},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def indicators_edit(request, pk: int):
    return _formset_page(request, pk, IndicatorFormSet, "programmes/indicators_form.html", "Zapisano wskaźniki.")


def _resolution_action(request, pk: int, form_class, action, invalid_message: str):
    """Run a resolution-based service from a small form on the programme page and report back there."""
    programme = _managed_programme(request, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        messages.error(request, invalid_message)
    else:
        try:
            action(programme, form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
    return redirect("programmes:staff-detail", pk=programme.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def programme_adopt(request, pk: int):
    """Record the council's resolution in two steps: the form (refused with the reasons while a rule is broken),
    then a confirmation page saying what will happen and showing each warning once."""
    programme = _managed_programme(request, pk)
    form = AdoptionForm(request.POST or None)
    context = {"programme": programme, "form": form}
    if request.method == "GET":
        context["problems"] = rules.adoption_problems(programme, None).get("__all__", [])
        return render(request, "programmes/adopt.html", context)
    if form.is_valid():
        data = form.cleaned_data
        problems = rules.adoption_problems(programme, data["resolution_date"])
        if problems:
            apply_validation_error(form, ValidationError(problems))
        elif "confirm" not in request.POST:
            context.update(
                confirming=True,
                warnings=rules.adoption_warnings(programme, data["resolution_date"]),
                total=rules.programme_total(programme),
                line_count=programme.budget_lines.count(),
            )
            return render(request, "programmes/adopt.html", context)
        else:
            try:
                services.programme_adopt(
                    programme=programme,
                    actor=request.user,
                    resolution_number=data["resolution_number"],
                    resolution_date=data["resolution_date"],
                    confirm_warnings=data["confirm_warnings"],
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request,
                    f"Program uchwalony uchwałą nr {data['resolution_number']}; opublikowano jego treść (wersja 1).",
                )
                return redirect("programmes:staff-detail", pk=programme.pk)
    return render(request, "programmes/adopt.html", context)


@staff_required
@require_POST
def programme_amend(request, pk: int):
    def amend(programme, data):
        amendment = services.programme_amend(programme=programme, actor=request.user, **data)
        messages.success(request, f"Zapisano zmianę programu (wersja {amendment.version}).")

    return _resolution_action(
        request, pk, AmendmentForm, amend, "Podaj numer i datę uchwały zmieniającej oraz zakres zmian."
    )


@staff_required
@require_POST
def programme_put_in_force(request, pk: int):
    programme = _managed_programme(request, pk)
    try:
        services.programme_set_status(programme=programme, status=Programme.Status.IN_FORCE, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Program jest w realizacji.")
    return redirect("programmes:staff-detail", pk=programme.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def cooperation_log(request):
    authorities = managed_authorities(request)
    activities = restrict_to_managed(request, CooperationActivity.objects.all()).prefetch_related("organisations")
    form = CooperationActivityForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if authorities.count() != 1:
            form.add_error(None, "Dodaj działanie z konta pracownika jednej jednostki.")
        else:
            with transaction.atomic(), acting_as(request.user):
                form.instance.authority = authorities.get()
                form.save()
            messages.success(request, "Dodano działanie do rejestru współpracy pozafinansowej.")
            return redirect("programmes:cooperation-log")
    return render(request, "programmes/cooperation_log.html", {"activities": activities[:200], "form": form})


@staff_required
@require_http_methods(["GET", "POST"])
def numbering(request):
    """Each managed authority's patterns of call and agreement numbers, with the next numbers they give."""
    from grants.models import NumberSequence
    from grants.services.numbering import number_preview

    year = timezone.localdate().year + 1
    chosen = request.POST.get("authority", "") if request.method == "POST" else ""
    rows = []
    for authority in managed_authorities(request):
        bound = chosen == str(authority.pk)
        form = NumberingForm(request.POST if bound else None, instance=authority, prefix=f"a{authority.pk}")
        if bound and form.is_valid():
            with transaction.atomic(), acting_as(request.user):
                form.save()
            messages.success(request, f"Zapisano wzory numerów: {authority.name}.")
            return redirect("programmes:numbering")
        rows.append(
            {
                "authority": authority,
                "form": form,
                "next_call": number_preview(authority=authority, kind=NumberSequence.Kind.CALL, year=year),
                "next_agreement": number_preview(authority=authority, kind=NumberSequence.Kind.AGREEMENT, year=year),
            }
        )
    return render(request, "programmes/numbering.html", {"rows": rows, "year": year})
