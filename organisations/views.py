import re

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from accounts.mail import site_url
from accounts.permissions import staff_required
from accounts.ratelimit import limit_reached
from accounts.reauth import reauthentication_required
from accounts.roles import roles_of
from config.forms import apply_validation_error, filtered
from config.pagination import page_by_ids
from config.tenancy import current_authority

from . import register, services
from .exports import directory_response
from .filters import DirectoryFilter
from .forms import InvitationForm, OrganisationForm, VerificationForm
from .models import Invitation, Membership, Organisation, RegisterExtract
from .permissions import (
    can_edit_organisation,
    can_manage_members,
    can_see_private_details,
    can_verify,
    supervised_organisations,
)
from .validators import normalise_krs


def _directory_queryset(request):
    """Every active organisation; inside an authority's space, that authority's (``Organisation.in_space_of``)."""
    organisations = Organisation.objects.for_directory()
    space = current_authority(request)
    return organisations if space is None else organisations.in_space_of(space)


def directory(request):
    """Public directory of organisations (baza organizacji): no login needed."""
    filterset = DirectoryFilter(request.GET or None, queryset=_directory_queryset(request))
    organisations = filtered(filterset)
    number = request.GET.get("strona")
    if filterset.searches_text:
        # The matches counted and their page chosen in one pass (``COUNT(*) OVER ()``): a common word matches a
        # share of the whole installation's organisations, and found twice (count, then page) it cost the
        # region-scale directory 1.4 ms more than the city's (README, "Region scale").
        page = page_by_ids(organisations, settings.DIRECTORY_PAGE_SIZE, number)
    else:  # the whole list: its count and its page both read from the index in Polish order (organisations.0010)
        page = Paginator(organisations, settings.DIRECTORY_PAGE_SIZE).get_page(number)
    query = request.GET.copy()
    query.pop("strona", None)
    return render(
        request,
        "organisations/directory.html",
        {"filter": filterset, "page": page, "query": query.urlencode()},
    )


def directory_export(request, fmt: str = "csv"):
    filterset = DirectoryFilter(request.GET or None, queryset=_directory_queryset(request))
    return directory_response(filtered(filterset), fmt)


def organisation_detail(request, pk: int):
    organisation = get_object_or_404(Organisation.objects.active().prefetch_related("areas"), pk=pk)
    space = current_authority(request)
    if (
        space is not None
        and not can_edit_organisation(request, organisation)
        and not can_verify(request, organisation)
        and not Organisation.objects.in_space_of(space).filter(pk=pk).exists()
    ):
        raise Http404  # not one of this authority's organisations: its page is in the installation's directory
    return render(
        request,
        "organisations/organisation_detail.html",
        {
            "organisation": organisation,
            "show_private": can_see_private_details(request, organisation),
            "can_verify": can_verify(request, organisation),
            "can_edit": can_edit_organisation(request, organisation),
            "can_manage_members": can_manage_members(request, organisation),
        },
    )


def _posted_extract(request, krs_number: str) -> RegisterExtract | None:
    """The register's answer the form was prefilled from (its id travels in the form), if it is about this number."""
    pk = request.POST.get("register_extract", "")
    if not pk.isdigit() or not krs_number:
        return None
    return RegisterExtract.objects.filter(pk=int(pk), krs=krs_number).first()


def _typed_krs(request) -> tuple[str, str]:
    """The KRS number as typed, normalised; or a message why it is not a KRS number."""
    typed = request.POST.get("krs", "").strip()
    if not typed:
        return "", "Wpisz numer KRS, aby pobrać dane z rejestru."
    try:
        return normalise_krs(typed), ""
    except ValidationError as error:
        return "", " ".join(error.messages)


def _register_prefill(request):
    """ "Pobierz dane z KRS": the form again with the empty fields filled from the register, the differences from what
    was typed listed above it, nothing saved."""
    krs_number, problem = _typed_krs(request)
    typed = {name: request.POST.get(name, "") for name in OrganisationForm.base_fields if name != "areas"}
    typed["is_opp"] = bool(request.POST.get("is_opp"))
    initial, extract, found = dict(typed), None, []
    if krs_number and limit_reached(request, "krs-lookup"):
        krs_number, problem = (
            "",
            "Pobrano już wiele odpisów z KRS z tego adresu – wpisz dane ręcznie albo spróbuj za godzinę.",
        )
    if krs_number:
        extract = register.register_lookup(krs_number=krs_number, actor=request.user)
        if extract.is_found:
            found = register.differences(typed, extract)
            initial = register.prefill(typed, extract)
            initial["krs"] = krs_number
    form = OrganisationForm(initial={**initial, "areas": request.POST.getlist("areas")}, register_button=True)
    context = {"form": form, "organisation": None, "extract": extract, "differences": found, "krs_problem": problem}
    return render(request, "organisations/organisation_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def organisation_register(request):
    if request.method == "POST" and request.POST.get("action") == "krs":
        return _register_prefill(request)
    form = OrganisationForm(request.POST or None, register_button=True)
    extract = None
    if request.method == "POST" and form.is_valid():
        krs_number = form.cleaned_data.get("krs", "")
        extract = _posted_extract(request, krs_number)
        if krs_number and extract is None:
            extract = register.register_lookup(krs_number=krs_number, actor=request.user)
        if extract is not None and extract.outcome == RegisterExtract.Outcome.NOT_FOUND:
            form.add_error("krs", f"W Krajowym Rejestrze Sądowym nie ma podmiotu o numerze KRS {krs_number}.")
        else:
            try:
                organisation = services.organisation_register(
                    actor=request.user,
                    data=form.service_data(),
                    areas=form.cleaned_data["areas"],
                    extract=extract,
                    authorities=form.authorities(),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(
                    request, f"Zarejestrowano organizację „{organisation.name}”. Jesteś jej administratorem."
                )
                if krs_number and not (extract and extract.is_found):
                    messages.warning(
                        request,
                        "Rejestr KRS nie odpowiedział – dane zapisano jako wpisane ręcznie; urząd sprawdzi je z "
                        "rejestrem.",
                    )
                return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request,
        "organisations/organisation_form.html",
        {
            "form": form,
            "organisation": None,
            "extract": extract,
            "differences": register.differences(form.data, extract) if extract else [],
        },
    )


def changes_bank_account(request, pk: int) -> bool:
    """Whether the posted organisation data changes the account grants are paid to (asks for the password).

    Only an administrator's form has the field; an editor's post of it is ignored."""
    if not roles_of(request).admin_of(pk):
        return False
    typed = re.sub(r"[\s-]", "", request.POST.get("bank_account", "")).upper().removeprefix("PL")
    stored = Organisation.objects.filter(pk=pk).values_list("bank_account", flat=True).first() or ""
    return typed != stored.upper().removeprefix("PL")


@login_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(when=changes_bank_account)
def organisation_edit(request, pk: int):
    organisation = get_object_or_404(Organisation.objects.editable_by(request.user), pk=pk)
    admin = can_manage_members(request, organisation)
    form = OrganisationForm(request.POST or None, instance=organisation, admin=admin)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation,
                actor=request.user,
                data=form.service_data(),
                areas=form.cleaned_data["areas"],
                authorities=form.authorities(),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Zapisano dane organizacji.")
            return redirect("organisations:detail", pk=organisation.pk)
    return render(
        request, "organisations/organisation_form.html", {"form": form, "organisation": organisation, "admin": admin}
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_members(request, pk: int):
    organisation = get_object_or_404(Organisation.objects.editable_by(request.user), pk=pk)
    if not can_manage_members(request, organisation):
        raise PermissionDenied
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_send(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=request.user,
                site_url=site_url(request),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"Wysłano zaproszenie na adres {invitation.email}.")
            return redirect("organisations:members", pk=organisation.pk)
    context = {
        "organisation": organisation,
        "form": form,
        "members": organisation.memberships.select_related("user").order_by("user__last_name", "user__first_name"),
        "invitations": organisation.invitations.pending(),
        "roles": Membership.Role.choices,
    }
    return render(request, "organisations/members.html", context)


def _managed_membership(request, pk: int, membership_pk: int) -> Membership:
    membership = get_object_or_404(
        Membership.objects.select_related("organisation", "user"), pk=membership_pk, organisation_id=pk
    )
    if not can_manage_members(request, membership.organisation):
        raise PermissionDenied
    return membership


def _members_page(pk: int):
    return redirect("organisations:members", pk=pk)


@login_required
@require_POST
def membership_remove(request, pk: int, membership_pk: int):
    membership = _managed_membership(request, pk, membership_pk)
    try:
        services.membership_remove(membership=membership, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Usunięto {membership.user.get_full_name() or membership.user.email} z konta.")
    return _members_page(pk)


@login_required
@require_POST
def membership_change_role(request, pk: int, membership_pk: int):
    membership = _managed_membership(request, pk, membership_pk)
    try:
        membership = services.membership_change_role(
            membership=membership, role=request.POST.get("role", ""), actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        who = membership.user.get_full_name() or membership.user.email
        messages.success(request, f"{who}: rola {membership.get_role_display()}.")
    return _members_page(pk)


@login_required
@require_POST
def invitation_revoke(request, pk: int, invitation_pk: int):
    invitation = get_object_or_404(
        Invitation.objects.select_related("organisation"), pk=invitation_pk, organisation_id=pk
    )
    if not can_manage_members(request, invitation.organisation):
        raise PermissionDenied
    try:
        services.invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Wycofano zaproszenie dla {invitation.email}.")
    return _members_page(pk)


@login_required
@require_http_methods(["GET", "POST"])
def invitation_accept(request, token: str):
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), token=token)
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Dołączono do organizacji „{invitation.organisation.name}”.")
            return redirect("organisations:detail", pk=invitation.organisation_id)
    return render(request, "organisations/invitation_accept.html", {"invitation": invitation})


@staff_required
def staff_list(request):
    """Office view: the organisations dealing with the person's authorities, those awaiting verification first."""
    organisations = supervised_organisations(request).order_by("verified_at", "-created_at")
    if request.GET.get("status") == "niezweryfikowane":
        organisations = organisations.filter(verified_at__isnull=True)
    page = Paginator(organisations, 50).get_page(request.GET.get("strona"))
    return render(request, "organisations/staff_list.html", {"page": page, "status": request.GET.get("status", "")})


@staff_required
@require_http_methods(["GET", "POST"])
def organisation_verify(request, pk: int):
    """The office's check of an organisation: its data beside the register's current extract, the differences, and
    the decision – verified, or rejected with a note saying what to correct."""
    organisation = get_object_or_404(supervised_organisations(request), pk=pk)
    extract = RegisterExtract.objects.latest_for(organisation.krs)
    action = request.POST.get("action", "")
    if request.method == "POST" and action == "check" and organisation.krs:
        extract = register.register_lookup(krs_number=organisation.krs, actor=request.user)
    form = VerificationForm(request.POST if action == "decide" else None)
    if action == "decide" and form.is_valid():
        decision, note = form.cleaned_data["decision"], form.cleaned_data["note"]
        try:
            if decision == "verify":
                services.organisation_verify(organisation=organisation, actor=request.user, note=note, extract=extract)
            else:
                services.organisation_reject(organisation=organisation, actor=request.user, note=note, extract=extract)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if decision == "verify":
                messages.success(request, f"Oznaczono organizację „{organisation.name}” jako zweryfikowaną.")
            else:
                messages.success(
                    request, f"Odrzucono dane organizacji „{organisation.name}”; administratorzy dostali uwagi."
                )
            return redirect(reverse("organisations:staff-list") + "?status=niezweryfikowane")
    return render(
        request,
        "organisations/verification.html",
        {
            "organisation": organisation,
            "extract": extract,
            "differences": register.organisation_differences(organisation, extract),
            "form": form,
        },
    )
