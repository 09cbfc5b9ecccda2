"""Documents the portal issued (sealed PDFs, with their checksums) and signed copies uploaded back to it.

``IssuedDocument`` is the register the public verification page reads: every PDF of record gets a number, its
SHA-256 and whether it carries the portal's seal. ``SignedCopy`` is a document signed by the organisation (or the
office) for one issued document, with the result of verifying it: integrity, sameness with the issued bytes, who
signed, whether they may represent the party, and trust in their certificates.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def issued_path(document: "IssuedDocument", filename: str) -> str:
    # Never a name a user typed.
    return f"issued/{document.kind}/{document.object_id}/v{document.version}-{document.pk or 'new'}.pdf"


class IssuedDocumentQuerySet(models.QuerySet):
    def of(self, kind: str, object_id: int):
        return self.filter(kind=kind, object_id=object_id).order_by("version")

    def latest_of(self, kind: str, object_id: int) -> "IssuedDocument | None":
        return self.filter(kind=kind, object_id=object_id).order_by("-version").first()


class IssuedDocument(models.Model):
    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("potwierdzenie złożenia oferty")
        OFFER = "offer", _("oferta")
        PROTOCOL = "protocol", _("protokół komisji konkursowej")
        CALL_RESULTS = "call_results", _("wyniki otwartego konkursu ofert")
        AGREEMENT = "agreement", _("umowa")
        ANNUAL_REPORT = "annual_report", _("sprawozdanie z realizacji programu współpracy")
        PROGRAMME = "programme", _("program współpracy")
        CONSULTATION_REPORT = "consultation_report", _("sprawozdanie z konsultacji")
        GRANT_REPORT = "grant_report", _("sprawozdanie z wykonania zadania")

    class Status(models.TextChoices):
        PENDING = "pending", _("w przygotowaniu")
        READY = "ready", _("wydany")
        FAILED = "failed", _("nie udało się przygotować")

    number = models.CharField(_("numer dokumentu"), max_length=30, unique=True, null=True, blank=True)
    kind = models.CharField(_("rodzaj"), max_length=30, choices=Kind.choices)
    object_id = models.PositiveBigIntegerField()
    version = models.PositiveSmallIntegerField(_("wersja"), default=1)
    title = models.CharField(_("tytuł"), max_length=500)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.READY)
    sha256 = models.CharField(_("suma kontrolna SHA-256"), max_length=64, blank=True, db_index=True)
    sealed = models.BooleanField(_("z pieczęcią elektroniczną"), default=False)
    sealed_by = models.CharField(_("pieczęć"), max_length=300, blank=True)
    file = models.FileField(upload_to=issued_path, max_length=300, blank=True)
    issued_at = models.DateTimeField(_("wydano"), default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)

    objects = IssuedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("wydany dokument")
        verbose_name_plural = _("wydane dokumenty")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "version"], name="issued_document_version_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.number or '–'}: {self.title} (wersja {self.version})"

    def read(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()


def signed_copy_path(copy: "SignedCopy", filename: str) -> str:
    suffix = {"pades": ".pdf", "xades": ".xml", "cades": ".p7s"}.get(copy.format, ".bin")
    if filename.endswith("-content.pdf"):
        suffix = "-content.pdf"
    return f"signed/{copy.document_id}/{timezone.now():%Y%m%d%H%M%S%f}{suffix}"


class SignedCopy(models.Model):
    """A signed copy of an issued document uploaded by one party, and what verifying it found."""

    class Party(models.TextChoices):
        ORGANISATION = "organisation", _("organizacja")
        AUTHORITY = "authority", _("urząd")

    class Format(models.TextChoices):
        PADES = "pades", _("PAdES – podpisany PDF")
        XADES = "xades", _("XAdES – plik .xml")
        CADES = "cades", _("CAdES – plik .p7s (podpis zewnętrzny)")
        SEAL = "seal", _("pieczęć elektroniczna urzędu nałożona w portalu")

    class Result(models.TextChoices):
        VERIFIED = "verified", _("podpis zweryfikowany")
        REJECTED = "rejected", _("odrzucony")

    class Representation(models.TextChoices):
        COMPLETE = "complete", _("sposób reprezentacji spełniony")
        INCOMPLETE = "incomplete", _("brak podpisu wymaganej osoby")
        UNKNOWN_SIGNER = "unknown", _("podpisał(a) osoba spoza reprezentantów")
        NOT_CHECKED = "not_checked", _("nie sprawdzono – brak danych o reprezentacji")

    class Trust(models.TextChoices):
        TRUSTED = "trusted", _("łańcuch certyfikatów zaufany")
        UNTRUSTED = "untrusted", _("łańcuch certyfikatów niezaufany")
        NOT_CHECKED = "not_checked", _("łańcuch nie sprawdzony")

    document = models.ForeignKey(IssuedDocument, on_delete=models.PROTECT, related_name="signed_copies")
    party = models.CharField(_("strona"), max_length=12, choices=Party.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    authority = models.ForeignKey(
        "programmes.Authority", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    format = models.CharField(_("format"), max_length=8, choices=Format.choices)
    file = models.FileField(upload_to=signed_copy_path, max_length=300)
    content_file = models.FileField(upload_to=signed_copy_path, max_length=300, blank=True)
    sha256 = models.CharField(max_length=64)
    result = models.CharField(_("wynik"), max_length=10, choices=Result.choices)
    representation = models.CharField(
        _("reprezentacja"), max_length=12, choices=Representation.choices, default=Representation.NOT_CHECKED
    )
    trust = models.CharField(_("zaufanie"), max_length=12, choices=Trust.choices, default=Trust.NOT_CHECKED)
    signers = models.JSONField(default=list, blank=True)
    problems = models.JSONField(default=list, blank=True)
    representation_note = models.CharField(max_length=500, blank=True)
    signed_at = models.DateTimeField(_("data podpisu"), null=True, blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("podpisany dokument")
        verbose_name_plural = _("podpisane dokumenty")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.document} – {self.get_party_display()} – {self.get_result_display()}"

    @property
    def accepted(self) -> bool:
        """Verified and signed as the party's representation requires."""
        return self.result == self.Result.VERIFIED and self.representation == self.Representation.COMPLETE

    @property
    def signer_names(self) -> str:
        return ", ".join(s["name"] for s in self.signers)
