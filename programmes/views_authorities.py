"""Authorities in the portal (issue 16 items 1–2): the superuser's list and new-authority page, an authority
administrator's settings and staff pages, the accepted staff invitation and the public logo."""

import filetype
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts import services_staff
from accounts.mail import site_url
from accounts.models import AuthorityStaff, StaffInvitation
from accounts.roles import roles_of
from config.forms import apply_validation_error
from config.tenancy import authority_space_url

from . import services_authorities
from .forms_authorities import AuthorityCreateForm, AuthoritySettingsForm, StaffInviteForm, StaffRightsForm
from .models import Authority
from .permissions import administered_authorities


def _superuser(request) -> None:
    if not roles_of(request).superuser:
        raise PermissionDenied


def _administered(request, pk: int) -> Authority:
    if not request.user.is_authenticated:
        raise PermissionDenied
    return get_object_or_404(administered_authorities(request), pk=pk)


@login_required
def authority_list(request):
    """The installation's authorities: the superuser creates them; an administrator reaches their own here."""
    authorities = administered_authorities(request).order_by("name")
    if not roles_of(request).superuser and not authorities:
        raise PermissionDenied
    rows = [(a, authority_space_url(request, a)) for a in authorities]
    return render(request, "programmes/authorities/list.html", {"rows": rows})


@login_required
@require_http_methods(["GET", "POST"])
def authority_create(request):
    _superuser(request)
    form = AuthorityCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = {name: value for name, value in form.cleaned_data.items() if name != "first_admin_email"}
        try:
            authority = services_authorities.authority_create(
                actor=request.user,
                data=data,
                first_admin_email=form.cleaned_data["first_admin_email"],
                site_url=site_url(request),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            invited = form.cleaned_data["first_admin_email"]
            messages.success(
                request,
                f"Utworzono jednostkę „{authority.name}”."
                + (f" Wysłano zaproszenie dla administratora jednostki: {invited}." if invited else ""),
            )
            return redirect("programmes:authority-settings", pk=authority.pk)
    return render(request, "programmes/authorities/create.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def authority_settings(request, pk: int):
    authority = _administered(request, pk)
    form = AuthoritySettingsForm(request.POST or None, request.FILES or None, instance=authority)
    if request.method == "POST" and form.is_valid():
        try:
            services_authorities.authority_update(
                authority=Authority.objects.get(pk=pk), actor=request.user, data=form.cleaned_data
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Zapisano dane jednostki.")
            return redirect("programmes:authority-settings", pk=pk)
    authority = Authority.objects.get(pk=pk)
    grammar = authority.grammar
    cases = [
        ("mianownik (kto? co?)", grammar.name("nom"), grammar.executive("nom"), grammar.council("nom")),
        ("dopełniacz (kogo? czego?)", grammar.name("gen"), grammar.executive("gen"), grammar.council("gen")),
        ("celownik (komu? czemu?)", grammar.name("dat"), grammar.executive("dat"), grammar.council("dat")),
        ("biernik (kogo? co?)", grammar.name("acc"), grammar.executive("acc"), grammar.council("acc")),
        ("narzędnik (z kim? z czym?)", grammar.name("ins"), grammar.executive("ins"), grammar.council("ins")),
        ("miejscownik (o kim? o czym?)", grammar.name("loc"), grammar.executive("loc"), grammar.council("loc")),
    ]
    return render(
        request,
        "programmes/authorities/settings.html",
        {"authority": authority, "form": form, "cases": cases, "represented_by": grammar.represented_by()},
    )


def _staff_page(request, authority, invite_form=None):
    staff = authority.staff.select_related("user").order_by("deactivated_at", "user__last_name", "user__first_name")
    return render(
        request,
        "programmes/authorities/staff.html",
        {
            "authority": authority,
            "staff": [(row, StaffRightsForm(instance=row, prefix=f"s{row.pk}")) for row in staff],
            "invitations": StaffInvitation.objects.pending().filter(authority=authority).select_related("invited_by"),
            "invite_form": invite_form or StaffInviteForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def authority_staff(request, pk: int):
    """The authority's office staff: invite by e-mail, change rights, deactivate (its administrators only)."""
    authority = _administered(request, pk)
    if request.method == "POST":
        form = StaffInviteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services_staff.staff_invite(
                    authority=authority,
                    email=data["email"],
                    job_title=data["job_title"],
                    can_decide=data["can_decide"],
                    is_admin=data["is_admin"],
                    actor=request.user,
                    site_url=site_url(request),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, f"Wysłano zaproszenie na adres {data['email']}.")
                return redirect("programmes:authority-staff", pk=pk)
        return _staff_page(request, authority, form)
    return _staff_page(request, authority)


def _staff_row(request, pk: int, staff_pk: int) -> AuthorityStaff:
    authority = _administered(request, pk)
    return get_object_or_404(
        AuthorityStaff.objects.select_related("user", "authority"), pk=staff_pk, authority=authority
    )


@login_required
@require_POST
def staff_rights(request, pk: int, staff_pk: int):
    staff = _staff_row(request, pk, staff_pk)
    form = StaffRightsForm(request.POST, instance=AuthorityStaff(), prefix=f"s{staff.pk}")
    if not form.is_valid():
        messages.error(
            request, "Nie zapisano uprawnień: " + " ".join(e for errors in form.errors.values() for e in errors)
        )
        return redirect("programmes:authority-staff", pk=pk)
    action = request.POST.get("action", "save")
    try:
        if action == "deactivate":
            services_staff.staff_deactivate(staff=staff, actor=request.user)
            message = f"Dezaktywowano: {staff.user}. Nie ma już uprawnień pracownika urzędu."
        elif action == "reactivate":
            services_staff.staff_reactivate(staff=staff, actor=request.user)
            message = f"Przywrócono: {staff.user}."
        else:
            data = form.cleaned_data
            services_staff.staff_update(
                staff=staff,
                actor=request.user,
                job_title=data["job_title"],
                can_decide=data["can_decide"],
                is_admin=data["is_admin"],
            )
            message = f"Zapisano uprawnienia: {staff.user}."
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, message)
    return redirect("programmes:authority-staff", pk=pk)


@login_required
@require_POST
def staff_invitation_revoke(request, pk: int, invitation_pk: int):
    authority = _administered(request, pk)
    invitation = get_object_or_404(StaffInvitation, pk=invitation_pk, authority=authority)
    try:
        services_staff.staff_invitation_revoke(invitation=invitation, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Wycofano zaproszenie dla {invitation.email}.")
    return redirect("programmes:authority-staff", pk=pk)


@require_http_methods(["GET", "POST"])
def staff_invitation_accept(request, token: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    invitation = get_object_or_404(StaffInvitation.objects.select_related("authority", "invited_by"), token=token)
    if request.method == "POST":
        try:
            services_staff.staff_invitation_accept(invitation=invitation, user=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, f"Pracujesz teraz w portalu dla jednostki: {invitation.authority.name}.")
            return redirect("accounts:staff-home")
    return render(request, "accounts/staff_invitation_accept.html", {"invitation": invitation})


def authority_logo(request, slug: str):
    """The authority's coat of arms or logo, public like its pages; the type is the one found in the content."""
    authority = get_object_or_404(Authority.objects.exclude(logo=""), slug=slug)
    try:
        with authority.logo.open("rb") as stored:
            content = stored.read()
    except FileNotFoundError:
        raise Http404 from None
    kind = filetype.guess(content[:2048])
    if kind is None or kind.mime not in ("image/png", "image/jpeg"):
        raise Http404
    response = HttpResponse(content, content_type=kind.mime)
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
