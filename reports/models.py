"""The year-end programme report (sprawozdanie z realizacji programu, art. 5a ust. 3).

The report's figures are computed from the portal's data every time (``reports.annual``); only what people
write is stored here: the conclusions and the publication on the programme's public page.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AnnualReport(models.Model):
    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="annual_report", verbose_name=_("program")
    )
    implementing_units = models.TextField(
        _("jednostki realizujące program"),
        blank=True,
        help_text=_("np. Biuro Komunikacji Społecznej; Wydział Oświaty, Kultury i Zdrowia – po jednej w wierszu."),
        max_length=10000,
    )
    non_financial_summary = models.TextField(_("współpraca pozafinansowa – omówienie"), blank=True, max_length=10000)
    conclusions = models.TextField(_("wnioski"), blank=True, max_length=10000)
    published_at = models.DateTimeField(_("opublikowano"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("sprawozdanie z realizacji programu")
        verbose_name_plural = _("sprawozdania z realizacji programów")

    def __str__(self) -> str:
        return f"Sprawozdanie: {self.programme}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


def publication_path(publication: "Publication", filename: str) -> str:
    # The name is built here, never from anything a user typed.
    return f"publications/{publication.kind}/{publication.object_id}/v{publication.version}-{filename}"


class PublicationQuerySet(models.QuerySet):
    def of(self, kind: str, object_id: int):
        """Every version of one document, oldest first (the change register)."""
        return self.filter(kind=kind, object_id=object_id).select_related("prepared_by", "published_by")

    def current(self, kind: str, object_id: int) -> "Publication | None":
        """The version in force: the latest one."""
        return self.of(kind, object_id).order_by("-version").first()


class Publication(models.Model):
    """A document of record as published: its HTML and PDF frozen, with SHA-256, who prepared and who published.

    One row per version. Version 1 is the publication; every later version is a correction (korekta) with its
    reason. Rows and files are never changed or deleted: earlier versions stay readable, as BIP rules require
    (the change register shows who prepared, who published, when and what changed). The one later write is the PDF:
    the request freezes the HTML the PDF is laid out from (``pdf_html``) and a background worker lays it out
    (``reports.publications.publication_pdf_make``), filling ``pdf`` and ``pdf_sha256`` once.
    """

    class PdfStatus(models.TextChoices):
        PENDING = "pending", _("w przygotowaniu")
        READY = "ready", _("gotowy")
        FAILED = "failed", _("nie udało się przygotować")

    class Kind(models.TextChoices):
        ANNUAL_REPORT = "annual_report", _("sprawozdanie z realizacji programu współpracy")
        PROGRAMME = "programme", _("program współpracy")
        CONSULTATION_REPORT = "consultation_report", _("sprawozdanie z konsultacji")
        CALL_RESULTS = "call_results", _("wyniki otwartego konkursu ofert")
        PROTOCOL = "protocol", _("protokół komisji konkursowej")

    kind = models.CharField(_("rodzaj dokumentu"), max_length=30, choices=Kind.choices)
    object_id = models.PositiveIntegerField(_("identyfikator dokumentu"))
    version = models.PositiveSmallIntegerField(_("wersja"))
    title = models.CharField(_("tytuł"), max_length=500)
    html = models.FileField(_("treść HTML"), upload_to=publication_path, max_length=300)
    pdf = models.FileField(_("PDF"), upload_to=publication_path, max_length=300, blank=True)
    pdf_html = models.FileField(
        _("HTML, z którego składa się PDF"), upload_to=publication_path, max_length=300, blank=True
    )
    html_sha256 = models.CharField(_("SHA-256 treści HTML"), max_length=64)
    pdf_html_sha256 = models.CharField(_("SHA-256 HTML, z którego składa się PDF"), max_length=64, blank=True)
    pdf_sha256 = models.CharField(_("SHA-256 PDF"), max_length=64, blank=True)
    pdf_status = models.CharField(_("PDF"), max_length=10, choices=PdfStatus.choices, default=PdfStatus.PENDING)
    pdf_attempts = models.PositiveSmallIntegerField(default=0)
    pdf_ready_at = models.DateTimeField(null=True, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("przygotował(a)"),
    )
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("opublikował(a)")
    )
    published_at = models.DateTimeField(_("opublikowano"))
    reason = models.TextField(_("powód korekty i zakres zmian"), blank=True)

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publikacja dokumentu")
        verbose_name_plural = _("publikacje dokumentów")
        ordering = ["kind", "object_id", "version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "version"], name="publication_version_unique"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="publication_version_positive"),
            models.CheckConstraint(
                condition=models.Q(version=1) | ~models.Q(reason=""), name="publication_correction_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} – wersja {self.version}"

    @property
    def is_correction(self) -> bool:
        return self.version > 1

    @property
    def pdf_ready(self) -> bool:
        return self.pdf_status == self.PdfStatus.READY

    def read_html(self) -> str:
        with self.html.open("rb") as handle:
            return handle.read().decode()

    def read_pdf(self) -> bytes:
        with self.pdf.open("rb") as handle:
            return handle.read()


def rendered_pdf_path(instance, filename: str) -> str:
    return f"pdf/{instance.html_sha256[:2]}/{instance.html_sha256}/{filename}"


class RenderedPdf(models.Model):
    """A heavy PDF laid out by the background worker (``reports.rendering``), keyed by the SHA-256 of the HTML it
    is laid out from: the same content is laid out once and then served from storage; changed data is new HTML."""

    class Status(models.TextChoices):
        PENDING = "pending", _("w przygotowaniu")
        READY = "ready", _("gotowy")
        FAILED = "failed", _("nie udało się przygotować")

    html_sha256 = models.CharField(max_length=64, unique=True)
    html = models.FileField(upload_to=rendered_pdf_path, max_length=200)
    pdf = models.FileField(upload_to=rendered_pdf_path, max_length=200, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    ready_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("PDF przygotowany w tle")
        verbose_name_plural = _("PDF-y przygotowane w tle")

    def __str__(self) -> str:
        return f"PDF {self.html_sha256[:12]} ({self.get_status_display()})"
