from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ConsultationQuerySet(models.QuerySet):
    def public(self):
        return self.exclude(status=Consultation.Status.DRAFT)

    def with_comment_counts(self):
        submitted = Q(comments__status=ConsultationComment.Status.SUBMITTED)
        return self.annotate(
            submitted_count=Count("comments", filter=submitted),
            unanswered_count=Count("comments", filter=submitted & Q(comments__decision="")),
        )


class Consultation(models.Model):
    """Consultation of a draft act with NGOs (art. 5 ust. 2 pkt 3 and ust. 5)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("w przygotowaniu")
        ANNOUNCED = "announced", _("ogłoszone")
        CLOSED = "closed", _("zakończone – rozpatrywanie uwag")
        REPORTED = "reported", _("sprawozdanie opublikowane")

    authority = models.ForeignKey("programmes.Authority", on_delete=models.PROTECT, related_name="consultations")
    programme = models.ForeignKey(
        "programmes.Programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consultations",
        verbose_name=_("konsultowany program współpracy"),
    )
    title = models.CharField(_("przedmiot konsultacji"), max_length=400)
    draft_text = models.TextField(_("treść projektu"), max_length=200000)
    basis_resolution = models.CharField(
        _("uchwała w sprawie sposobu konsultowania"),
        max_length=400,
        help_text=_("np. uchwała Nr LXIII/701/10 Rady Miasta z dnia 9 listopada 2010 r."),
    )
    opening_order = models.CharField(
        _("zarządzenie o przeprowadzeniu konsultacji"),
        max_length=400,
        help_text=_("np. zarządzenie nr 64/Or/2024 Prezydenta Miasta z dnia 23 lipca 2024 r."),
    )
    starts_at = models.DateTimeField(_("początek konsultacji"))
    ends_at = models.DateTimeField(_("koniec konsultacji"))
    channels = models.TextField(
        _("formy konsultacji"),
        help_text=_("np. formularz w portalu, e-mail, poczta, spotkanie konsultacyjne"),
        max_length=5000,
    )
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    rdpp_opinion = models.TextField(_("opinia rady działalności pożytku publicznego"), blank=True, max_length=5000)
    summary = models.TextField(_("podsumowanie przebiegu konsultacji"), blank=True, max_length=5000)
    report_published_at = models.DateTimeField(_("sprawozdanie opublikowano"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    objects = ConsultationQuerySet.as_manager()

    class Meta:
        verbose_name = _("konsultacje")
        verbose_name_plural = _("konsultacje")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="consultation_period_ordered")
        ]

    def __str__(self) -> str:
        return self.title

    def accepts_comments_at(self, moment) -> bool:
        """Comments are taken while announced, from the first to the last second of the period."""
        return self.status == self.Status.ANNOUNCED and self.starts_at <= moment <= self.ends_at


class Provision(models.Model):
    """A numbered provision of the draft (chapter / § / ustęp) that comments refer to."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="provisions")
    order = models.PositiveIntegerField()
    chapter = models.CharField(max_length=20, blank=True)
    chapter_title = models.CharField(max_length=300, blank=True)
    paragraph = models.CharField(max_length=10, blank=True)
    section = models.CharField(max_length=10, blank=True)
    text = models.TextField(max_length=20000)

    class Meta:
        ordering = ["consultation", "order"]
        constraints = [models.UniqueConstraint(fields=["consultation", "order"], name="provision_order_unique")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        parts = []
        if self.chapter:
            parts.append(f"Rozdział {self.chapter}")
        if self.paragraph:
            parts.append(f"§ {self.paragraph}" + (f" ust. {self.section}" if self.section else ""))
        return ", ".join(parts) or "Wstęp"


class ConsultationCommentQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(status=ConsultationComment.Status.SUBMITTED)

    def for_report(self):
        return self.submitted().select_related("organisation", "provision").order_by("provision__order", "submitted_at")

    def drafts_of(self, user):
        """Unsent drafts are private to the people of the organisation that writes them."""
        return self.filter(status=ConsultationComment.Status.DRAFT, organisation__memberships__user=user)


class ConsultationComment(models.Model):
    """A comment (uwaga) submitted on behalf of an organisation, and the executive's response."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("wersja robocza")
        SUBMITTED = "submitted", _("złożona")

    class Decision(models.TextChoices):
        ACCEPTED = "accepted", _("uwzględniona")
        PARTLY = "partly", _("uwzględniona częściowo")
        REJECTED = "rejected", _("nieuwzględniona")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="comments")
    provision = models.ForeignKey(
        Provision,
        on_delete=models.PROTECT,
        related_name="comments",
        null=True,
        blank=True,
        verbose_name=_("przepis projektu"),
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="consultation_comments",
        verbose_name=_("w imieniu organizacji"),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_wording = models.TextField(_("proponowane brzmienie"), max_length=5000)
    justification = models.TextField(_("uzasadnienie"), max_length=5000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField(_("złożono"), null=True, blank=True)
    decision = models.CharField(_("stanowisko"), max_length=10, choices=Decision.choices, blank=True)
    response = models.TextField(_("uzasadnienie stanowiska"), blank=True, max_length=5000)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConsultationCommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("uwaga w konsultacjach")
        verbose_name_plural = _("uwagi w konsultacjach")
        ordering = ["consultation", "submitted_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False), name="comment_submitted_has_time"
            ),
            models.CheckConstraint(condition=Q(decision="") | ~Q(response=""), name="comment_decision_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.provision or 'uwaga ogólna'}"
