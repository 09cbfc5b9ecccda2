"""One import of an office's past records (organisations, programmes, agreements) from a CSV or XLSX file.

Every record an import creates points at its batch, so pages and reports can say "imported" and the office can see
who loaded what, from which file, and when."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ImportBatch(models.Model):
    class Kind(models.TextChoices):
        ORGANISATIONS = "organisations", _("organizacje")
        PROGRAMMES = "programmes", _("programy współpracy i pozycje budżetu")
        AGREEMENTS = "agreements", _("umowy z lat ubiegłych")

    authority = models.ForeignKey("programmes.Authority", on_delete=models.PROTECT, related_name="import_batches")
    kind = models.CharField(_("rodzaj danych"), max_length=20, choices=Kind.choices)
    file_name = models.CharField(_("plik"), max_length=200)
    row_count = models.PositiveIntegerField(_("liczba wierszy"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("zaimportowano"), default=timezone.now)

    class Meta:
        verbose_name = _("import danych")
        verbose_name_plural = _("importy danych")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} – {self.file_name} ({self.created_at:%d.%m.%Y})"
