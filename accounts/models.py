from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .lockout import normalise_email


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **fields) -> "User":
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=normalise_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **fields) -> "User":
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create(email, password, **fields)

    def create_superuser(self, email: str, password: str | None = None, **fields) -> "User":
        fields.update(is_staff=True, is_superuser=True, is_active=True)
        fields.setdefault("email_confirmed_at", timezone.now())
        return self._create(email, password, **fields)

    def get_by_natural_key(self, username: str) -> "User":
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address.

    ``is_staff`` only opens Django's admin; the municipal office role is ``AuthorityStaff``.
    """

    email = models.EmailField(_("adres e-mail"), unique=True)
    first_name = models.CharField(_("imię"), max_length=150)
    last_name = models.CharField(_("nazwisko"), max_length=150)
    is_active = models.BooleanField(_("aktywne"), default=True)
    is_staff = models.BooleanField(_("dostęp do panelu administracyjnego"), default=False)
    date_joined = models.DateTimeField(_("data rejestracji"), default=timezone.now)
    email_confirmed_at = models.DateTimeField(_("e-mail potwierdzony"), null=True, blank=True)
    # How the person wants the e-mail copies of their portal notifications (notifications/services.py).
    notification_email = models.CharField(
        _("powiadomienia e-mailem"),
        max_length=10,
        choices=[("immediate", _("od razu, każde osobno")), ("daily", _("raz dziennie, w jednym zestawieniu"))],
        default="immediate",
    )
    # Kept beside the user row the session loads anyway, so the navigation shows it without a query; the
    # notification service moves it and recounts it from the rows whenever notifications are read.
    unread_notifications = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["first_name", "last_name"]

    class Meta:
        verbose_name = _("użytkownik")
        verbose_name_plural = _("użytkownicy")
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
            # One spelling per address, whoever writes the row.
            models.CheckConstraint(condition=models.Q(email=Trim(Lower("email"))), name="user_email_normalised"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def clean(self) -> None:
        super().clean()
        # Stored as login reads it: one spelling per address (forms and the admin call clean()).
        self.email = normalise_email(self.email)

    @property
    def awaits_confirmation(self) -> bool:
        """Signed up but never followed the confirmation link (nor set a password from a reset link)."""
        return not self.is_active and self.email_confirmed_at is None

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    def get_short_name(self) -> str:
        return self.first_name


class AuthorityStaffQuerySet(models.QuerySet):
    def active(self):
        return self.filter(deactivated_at__isnull=True)

    def deciders(self):
        return self.active().filter(can_decide=True)


class AuthorityStaff(models.Model):
    """A municipal office employee working with NGOs for one authority."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="staff_roles", verbose_name=_("osoba"))
    authority = models.ForeignKey(
        "programmes.Authority", on_delete=models.CASCADE, related_name="staff", verbose_name=_("jednostka")
    )
    job_title = models.CharField(_("stanowisko / komórka"), max_length=200, blank=True)
    can_decide = models.BooleanField(
        _("może rozstrzygać"),
        default=False,
        help_text=_("Osoba upoważniona przez organ wykonawczy do podejmowania rozstrzygnięć."),
    )
    is_admin = models.BooleanField(
        _("administrator jednostki"),
        default=False,
        help_text=_("Zmienia dane jednostki, zaprasza pracowników i nadaje im uprawnienia."),
    )
    deactivated_at = models.DateTimeField(_("dezaktywowany"), null=True, blank=True)

    objects = AuthorityStaffQuerySet.as_manager()

    class Meta:
        verbose_name = _("pracownik urzędu")
        verbose_name_plural = _("pracownicy urzędu")
        constraints = [models.UniqueConstraint(fields=["user", "authority"], name="staff_user_authority_unique")]

    def __str__(self) -> str:
        return f"{self.user} – {self.authority}"


def _new_token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


class StaffInvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class StaffInvitation(models.Model):
    """An e-mail invitation to work in an authority's office in the portal, with the rights it will carry."""

    authority = models.ForeignKey(
        "programmes.Authority", on_delete=models.CASCADE, related_name="staff_invitations", verbose_name=_("jednostka")
    )
    email = models.EmailField(_("adres e-mail"))
    job_title = models.CharField(_("stanowisko / komórka"), max_length=200, blank=True)
    can_decide = models.BooleanField(_("może rozstrzygać"), default=False)
    is_admin = models.BooleanField(_("administrator jednostki"), default=False)
    token = models.CharField(max_length=64, unique=True, default=_new_token, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = StaffInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("zaproszenie pracownika urzędu")
        verbose_name_plural = _("zaproszenia pracowników urzędu")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.email} → {self.authority}"


class RateLimitCounter(models.Model):
    """Attempts of one kind from one source in one time window, counted in the database that every worker
    shares (a per-process cache lets each worker, and each racing request, count on its own)."""

    scope = models.CharField(max_length=50)
    key = models.CharField(max_length=255)
    window_start = models.DateTimeField()
    hits = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["scope", "key", "window_start"], name="rate_limit_counter_unique")
        ]
        indexes = [models.Index(fields=["scope", "window_start"], name="rate_limit_window_idx")]

    def __str__(self) -> str:
        return f"{self.scope} {self.key} {self.window_start:%Y-%m-%d %H:%M}: {self.hits}"
