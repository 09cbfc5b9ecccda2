"""State changes of organisations, memberships and invitations."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.audit import acting_as
from accounts.mail import send_templated_mail_on_commit
from accounts.services import invitation_locked_for, invitation_mail_on_commit

from .models import DataSource, Invitation, Membership, Organisation, RegisterExtract
from .signals import member_joined

INVITATION_VALIDITY = timedelta(days=14)

# Only an organisation's administrator changes these; a change of the first two is checked by the office again.
ADMIN_FIELDS = ("bank_account", "email", "representatives", "joint_representation")
REVERIFIED_FIELDS = ("bank_account", "representatives", "joint_representation")

_UNIQUE_FIELDS = {"krs": "numerze KRS", "nip": "numerze NIP"}


def duplicate_registration_errors(*, krs: str, nip: str, exclude_pk: int | None = None) -> dict[str, str]:
    """Messages for a KRS or NIP another organisation already holds, naming whom to contact."""
    errors = {}
    for field, value in (("krs", krs), ("nip", nip)):
        if not value:
            continue
        holder = Organisation.objects.filter(**{field: value}).exclude(pk=exclude_pk).first()
        if holder is not None:
            errors[field] = (
                f"Organizacja o tym {_UNIQUE_FIELDS[field]} jest już zarejestrowana w portalu jako „{holder.name}”. "
                f"Poproś jej administratora o zaproszenie do konta organizacji; jeśli go nie znasz, napisz do "
                f"urzędu: {settings.PORTAL_CONTACT_EMAIL}."
            )
    return errors


def _save_unique(organisation: Organisation, **save_kwargs) -> None:
    """Save, turning a lost race on KRS/NIP uniqueness into the same message the form shows."""
    try:
        with transaction.atomic():
            organisation.save(**save_kwargs)
    except IntegrityError:
        errors = duplicate_registration_errors(krs=organisation.krs, nip=organisation.nip, exclude_pk=organisation.pk)
        raise ValidationError(errors or "Nie udało się zapisać organizacji – spróbuj ponownie.") from None


@transaction.atomic
def organisation_register(
    *, actor, data: dict, areas, extract: RegisterExtract | None = None, authorities=None
) -> Organisation:
    """Register an organisation; the person registering it becomes its administrator.

    ``extract`` is the register's answer about the typed KRS number: found, the organisation is marked as taken
    from KRS and keeps the extract for the office's check; otherwise its data are marked as typed by hand. Either
    way it waits for the office's verification. ``authorities``: the authorities on the installation it works
    with (one NGO account serves them all)."""
    with acting_as(actor):
        errors = duplicate_registration_errors(krs=data.get("krs", ""), nip=data.get("nip", ""))
        if errors:
            raise ValidationError(errors)
        organisation = Organisation(**data)
        if extract is not None and extract.krs == organisation.krs:
            organisation.register_extract = extract
            if extract.is_found:
                organisation.data_source = DataSource.REGISTER
        organisation.full_clean(exclude=["areas"])
        _save_unique(organisation)
        organisation.areas.set(areas)
        if authorities is not None:
            organisation.authorities.set(authorities)
        Membership.objects.create(user=actor, organisation=organisation, role=Membership.Role.ADMIN)
    return organisation


def is_admin(user, organisation: Organisation) -> bool:
    return Membership.objects.filter(user=user, organisation=organisation, role=Membership.Role.ADMIN).exists()


@transaction.atomic
def organisation_update(*, organisation: Organisation, actor, data: dict, areas, authorities=None) -> Organisation:
    """Change an organisation's data.

    Bank account, e-mail and representatives are the administrators' alone. A change of KRS, NIP, bank account or
    representatives withdraws the office's verification (agreements then do not take the account until staff
    verify again); a change of the account or the representatives is e-mailed to every administrator and the office.
    """
    with acting_as(actor):
        errors = duplicate_registration_errors(
            krs=data.get("krs", ""), nip=data.get("nip", ""), exclude_pk=organisation.pk
        )
        if errors:
            raise ValidationError(errors)
        # Compare with what is stored: a bound ModelForm has already copied the new values onto the instance.
        stored = (
            Organisation.objects.select_for_update()
            .filter(pk=organisation.pk)
            .values("krs", "nip", *ADMIN_FIELDS)
            .get()
        )
        changed = {field for field, value in data.items() if field in stored and stored[field] != value}
        if changed & set(ADMIN_FIELDS) and not is_admin(actor, organisation):
            raise PermissionDenied("Rachunek, e-mail i reprezentantów organizacji zmienia tylko jej administrator.")
        for field, value in data.items():
            setattr(organisation, field, value)
        fields = list(data)
        if changed & {"krs", "nip", *REVERIFIED_FIELDS} and organisation.verified_at:
            organisation.verified_at, organisation.verified_by = None, None
            fields += ["verified_at", "verified_by"]
        organisation.full_clean(exclude=["areas"])
        _save_unique(organisation, update_fields=fields)
        organisation.areas.set(areas)
        if authorities is not None:
            organisation.authorities.set(authorities)
    if changed & set(REVERIFIED_FIELDS):
        _notify_sensitive_change(organisation, actor=actor, changed=changed & set(REVERIFIED_FIELDS))
    return organisation


def _notify_sensitive_change(organisation: Organisation, *, actor, changed: set[str]) -> None:
    """The organisation's admins and the staff of every authority it deals with (who verify it again) are told in
    the portal and by e-mail; the authorities' and the portal's contact mailboxes by e-mail."""
    from accounts.models import User
    from accounts.notifications.models import Notification
    from accounts.notifications.services import notify
    from programmes.models import Authority

    admins = User.objects.filter(
        memberships__organisation=organisation, memberships__role=Membership.Role.ADMIN, is_active=True
    )
    # The office: the portal's contact address and every authority the organisation deals with.
    authorities = Authority.objects.filter(
        Q(open_calls__offers__organisation=organisation)
        | Q(direct_offers__offer__organisation=organisation)
        | Q(agreements__organisation=organisation)
        | Q(declared_organisations=organisation)
        | Q(city=organisation.city)
    ).distinct()
    staff = User.objects.filter(
        staff_roles__authority__in=authorities.values("pk"), staff_roles__deactivated_at__isnull=True, is_active=True
    )
    offices = authorities.exclude(email="").values_list("email", flat=True)
    labels = [str(Organisation._meta.get_field(field).verbose_name) for field in REVERIFIED_FIELDS if field in changed]
    notify(
        kind=Notification.Kind.ORGANISATION,
        recipients={*admins, *staff},
        template="organisations/email/sensitive_change",
        context={"organisation": organisation, "actor": actor, "labels": labels},
        url=reverse("organisations:detail", args=[organisation.pk]),
        emails=[*offices, settings.PORTAL_CONTACT_EMAIL],
    )


@transaction.atomic
def organisation_verify(
    *, organisation: Organisation, actor, note: str = "", extract: RegisterExtract | None = None
) -> Organisation:
    """Record that office staff checked the organisation against its register (``extract``: the answer they saw)."""
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    with acting_as(actor):
        organisation.verified_at = timezone.now()
        organisation.verified_by = actor
        organisation.rejected_at = None
        organisation.verification_note = note.strip()
        fields = ["verified_at", "verified_by", "rejected_at", "verification_note"]
        if extract is not None and extract.krs == organisation.krs:
            organisation.register_extract = extract
            fields.append("register_extract")
        organisation.save(update_fields=fields)
    return organisation


@transaction.atomic
def organisation_reject(
    *, organisation: Organisation, actor, note: str, extract: RegisterExtract | None = None
) -> Organisation:
    """The office does not confirm the data (e.g. they differ from the register): the note says what to correct.

    The organisation stays unverified (agreements do not take its bank account) and the directory shows it so; its
    administrators are told by e-mail."""
    if not note.strip():
        raise ValidationError({"note": "Napisz, co się nie zgadza i co organizacja ma poprawić."})
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    with acting_as(actor):
        organisation.verified_at, organisation.verified_by = None, None
        organisation.rejected_at = timezone.now()
        organisation.verification_note = note.strip()
        fields = ["verified_at", "verified_by", "rejected_at", "verification_note"]
        if extract is not None and extract.krs == organisation.krs:
            organisation.register_extract = extract
            fields.append("register_extract")
        organisation.save(update_fields=fields)
    admins = organisation.memberships.filter(role=Membership.Role.ADMIN).values_list("user__email", flat=True)
    if admins:
        send_templated_mail_on_commit(
            template="organisations/email/rejected",
            to=sorted(admins),
            context={"organisation": organisation, "note": organisation.verification_note},
        )
    return organisation


@transaction.atomic
def invitation_send(*, organisation: Organisation, email: str, role: str, actor, site_url: str) -> Invitation:
    """Invite a person by e-mail to act for the organisation."""
    email = email.strip().lower()
    if organisation.memberships.filter(user__email__iexact=email).exists():
        raise ValidationError({"email": "Ta osoba już należy do konta organizacji."})
    with acting_as(actor):
        Invitation.objects.pending().filter(organisation=organisation, email__iexact=email).update(
            revoked_at=timezone.now()
        )
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            invited_by=actor,
            expires_at=timezone.now() + INVITATION_VALIDITY,
        )
    invitation_mail_on_commit(
        invitation,
        template="organisations/email/invitation",
        accept_url_name="organisations:invitation-accept",
        site_url=site_url,
    )
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """Join the organisation; only the person the invitation was addressed to may accept it."""
    invitation = invitation_locked_for(invitation, user)
    with acting_as(user):
        membership, _ = Membership.objects.get_or_create(
            user=user, organisation=invitation.organisation, defaults={"role": invitation.role}
        )
        invitation.accepted_at, invitation.accepted_by = timezone.now(), user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    # Other apps act on the new member (grants re-checks the person's commission seats for conflicts).
    member_joined.send(sender=Membership, membership=membership, user=user)
    return membership


LAST_ADMIN = "Organizacja musi mieć co najmniej jednego administratora – najpierw nadaj tę rolę innej osobie."


def _lock_admin(actor, organisation: Organisation) -> list[Membership]:
    """Lock the organisation's memberships (two admins demoting each other race here) and check the actor's role."""
    memberships = list(Membership.objects.select_for_update().filter(organisation=organisation).order_by("pk"))
    if not any(m.user_id == actor.pk and m.role == Membership.Role.ADMIN for m in memberships):
        raise PermissionDenied("Członkami konta zarządza tylko administrator organizacji.")
    return memberships


def _admins_left(memberships: list[Membership], without: Membership) -> int:
    return sum(1 for m in memberships if m.role == Membership.Role.ADMIN and m.pk != without.pk)


@transaction.atomic
def membership_remove(*, membership: Membership, actor) -> None:
    """Remove a person from the organisation's account; they lose every right to act for it at once."""
    memberships = _lock_admin(actor, membership.organisation)
    membership = next((m for m in memberships if m.pk == membership.pk), None)
    if membership is None:
        raise ValidationError("Ta osoba nie należy już do konta organizacji.")
    if membership.role == Membership.Role.ADMIN and not _admins_left(memberships, membership):
        raise ValidationError(LAST_ADMIN)
    with acting_as(actor):
        membership.delete()


@transaction.atomic
def membership_change_role(*, membership: Membership, role: str, actor) -> Membership:
    if role not in Membership.Role.values:
        raise ValidationError({"role": "Wybierz rolę z listy."})
    memberships = _lock_admin(actor, membership.organisation)
    membership = next((m for m in memberships if m.pk == membership.pk), None)
    if membership is None:
        raise ValidationError("Ta osoba nie należy już do konta organizacji.")
    demoted = role != Membership.Role.ADMIN and membership.role == Membership.Role.ADMIN
    if demoted and not _admins_left(memberships, membership):
        raise ValidationError(LAST_ADMIN)
    with acting_as(actor):
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor) -> Invitation:
    _lock_admin(actor, invitation.organisation)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.revoked_at:
        raise ValidationError("To zaproszenie zostało już przyjęte albo wycofane.")
    with acting_as(actor):
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation
