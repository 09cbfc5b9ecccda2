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
    )
    non_financial_summary = models.TextField(_("współpraca pozafinansowa – omówienie"), blank=True)
    conclusions = models.TextField(_("wnioski"), blank=True)
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
