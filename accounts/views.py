from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.encoding import force_str
from django.utils.http import urlencode, urlsafe_base64_decode
from django.views.decorators.http import require_http_methods

from consultations.models import Consultation
from grants.correspondence.selectors import home_correspondence
from grants.queues import commission_cards, ngo_queues, staff_queues
from organisations.models import Invitation, Organisation
from organisations.permissions import supervised_organisations
from programmes.models import Programme
from programmes.permissions import managed_authority_ids, restrict_to_managed

from . import services
from .forms import LoginForm, PasswordResetForm, SetPasswordForm, SignUpForm
from .lockout import normalise_email
from .mail import site_url
from .models import User
from .permissions import staff_required
from .ratelimit import TOO_MANY, limit_reached
from .roles import roles_of
from .tokens import email_confirmation_token
from .two_factor import has_two_factor
from .views_two_factor import begin_code_step


@require_http_methods(["GET", "POST"])
def sign_up(request):
    if request.user.is_authenticated:
        return redirect("accounts:home")
    form = SignUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if limit_reached(request, "sign-up"):
            form.add_error(None, TOO_MANY)
            return render(request, "accounts/sign_up.html", {"form": form}, status=429)
        data = form.cleaned_data
        services.user_sign_up(
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            site_url=site_url(request),
        )
        return render(request, "accounts/sign_up_done.html", {"email": data["email"]})
    return render(request, "accounts/sign_up.html", {"form": form})


def confirm_email(request, uidb64: str, token: str):
    try:
        user = User.objects.get(pk=force_str(urlsafe_base64_decode(uidb64)))
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        user = None
    if user is None or not email_confirmation_token.check_token(user, token):
        return render(request, "accounts/confirm_invalid.html", status=400)
    services.user_confirm_email(user=user)
    # No sign-in here: whoever opens a link (a mail scanner, or a victim sent the attacker's own link) must
    # still know the password, so the link cannot sign anyone into someone else's account (login CSRF).
    messages.success(request, "Adres e-mail potwierdzony. Zaloguj się hasłem podanym przy rejestracji.")
    return redirect(f"{reverse('accounts:login')}?{urlencode({'email': user.email})}")


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if has_two_factor(user):
            return begin_code_step(self.request, user, self.get_success_url())
        return super().form_valid(form)

    def get_initial(self):
        return {**super().get_initial(), "username": self.request.GET.get("email", "")[:254]}


@login_required
def home(request):
    """Send each person to the home of their role."""
    roles = roles_of(request)
    if roles.is_authority_staff:
        return redirect("accounts:staff-home")
    if roles.has_commission_seat and not roles.is_ngo_member:
        return redirect("grants:commission-home")
    return redirect("accounts:ngo-home")


def _queues_context(queues) -> dict:
    return {"queues": queues, "empty_queues": [queue for queue in queues if not queue.count]}


@login_required
def ngo_home(request):
    """The NGO person's home: what their organisations must do next, with deadlines, then the organisations."""
    roles = roles_of(request)
    invitations = Invitation.objects.pending().filter(email__iexact=request.user.email).select_related("organisation")
    admin_of = [m.organisation_id for m in roles.memberships if m.role == "admin"]
    queues = ngo_queues(roles.organisation_ids, admin_of) if roles.memberships else []
    if roles.has_commission_seat:
        queues.insert(0, commission_cards(request.user))
    context = {"invitations": invitations, "inbox": home_correspondence(request), **_queues_context(queues)}
    return render(request, "accounts/ngo_home.html", context)


@staff_required
def staff_home(request):
    """The office person's home: their work queue, filtered to their authorities, then the overview."""
    roles = roles_of(request)
    unverified = supervised_organisations(request).filter(verified_at__isnull=True)
    queues = staff_queues(managed_authority_ids(request))
    if roles.has_commission_seat:
        queues.insert(0, commission_cards(request.user))
    context = {
        "programmes": restrict_to_managed(request, Programme.objects.with_total())[:5],
        "consultations": restrict_to_managed(
            request, Consultation.objects.exclude(status=Consultation.Status.REPORTED).with_comment_counts()
        )[:5],
        "unverified_count": unverified.count(),
        "recent": unverified.order_by("-created_at")[:10],
        "organisation_count": Organisation.objects.active().count(),
        "inbox": home_correspondence(request),
        **_queues_context(queues),
    }
    return render(request, "accounts/staff_home.html", context)


password_change = login_required(
    auth_views.PasswordChangeView.as_view(
        template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password-change-done")
    )
)
password_change_done = login_required(
    auth_views.PasswordChangeDoneView.as_view(template_name="accounts/password_change_done.html")
)


class PasswordResetView(auth_views.PasswordResetView):
    """Each reset link is an e-mail the portal sends: a few per visitor and per mailbox an hour."""

    def form_valid(self, form):
        if limit_reached(self.request, "password-reset", extra_key=normalise_email(form.cleaned_data["email"])):
            form.add_error(None, TOO_MANY)
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


password_reset = PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    form_class=PasswordResetForm,
    email_template_name="accounts/email/password_reset.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html",
    form_class=SetPasswordForm,
    success_url=reverse_lazy("accounts:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
