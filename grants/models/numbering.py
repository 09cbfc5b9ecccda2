"""Numbers of calls and agreements: one counter per authority, kind and year (``grants.services.numbering``)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NumberSequence(models.Model):
    """The last number given to a call or an agreement of an authority in a year; the row is locked to take one."""

    class Kind(models.TextChoices):
        CALL = "call", _("ogłoszenie konkursu")
        AGREEMENT = "agreement", _("umowa")

    authority = models.ForeignKey("programmes.Authority", on_delete=models.CASCADE, related_name="number_sequences")
    kind = models.CharField(_("rodzaj"), max_length=10, choices=Kind.choices)
    year = models.PositiveSmallIntegerField(_("rok"))
    last = models.PositiveIntegerField(_("ostatni numer"), default=0)

    class Meta:
        verbose_name = _("numeracja")
        verbose_name_plural = _("numeracja")
        constraints = [
            models.UniqueConstraint(fields=["authority", "kind", "year"], name="number_sequence_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.authority} {self.get_kind_display()} {self.year}: {self.last}"
