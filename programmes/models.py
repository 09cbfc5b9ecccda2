from django.db import models
from django.utils.translation import gettext_lazy as _


class AuthorityQuerySet(models.QuerySet):
    def the_only_one(self) -> "Authority | None":
        """The authority when the installation serves exactly one, so the UI need not ask which."""
        authorities = list(self.all()[:2])
        return authorities[0] if len(authorities) == 1 else None


class Authority(models.Model):
    """The public body (gmina, powiat) whose executive runs the cooperation programme."""

    class Kind(models.TextChoices):
        URBAN = "urban", _("gmina miejska")
        URBAN_RURAL = "urban_rural", _("gmina miejsko-wiejska")
        RURAL = "rural", _("gmina wiejska")
        CITY_COUNTY = "city_county", _("miasto na prawach powiatu")
        COUNTY = "county", _("powiat")

    class ExecutiveTitle(models.TextChoices):
        MAYOR_OF_CITY = "prezydent", _("Prezydent Miasta")
        MAYOR = "burmistrz", _("Burmistrz")
        VILLAGE_HEAD = "wojt", _("Wójt")
        COUNTY_BOARD = "zarzad_powiatu", _("Zarząd Powiatu")

    name = models.CharField(_("nazwa"), max_length=200, unique=True, help_text=_("np. Gmina Konstancin-Jeziorna"))
    slug = models.SlugField(_("skrót w adresach"), max_length=80, unique=True)
    kind = models.CharField(_("rodzaj jednostki"), max_length=20, choices=Kind.choices)
    executive_title = models.CharField(_("organ wykonawczy"), max_length=20, choices=ExecutiveTitle.choices)
    council_name = models.CharField(
        _("organ stanowiący"), max_length=200, help_text=_("np. Rada Miejska w Konstancinie-Jeziornie")
    )
    street = models.CharField(_("ulica i numer"), max_length=200)
    postal_code = models.CharField(_("kod pocztowy"), max_length=6)
    city = models.CharField(_("miejscowość"), max_length=100)
    email = models.EmailField(_("e-mail urzędu"), blank=True)
    bip_url = models.URLField(_("adres BIP"), blank=True)
    website = models.URLField(_("strona internetowa"), blank=True)

    objects = AuthorityQuerySet.as_manager()

    class Meta:
        verbose_name = _("jednostka samorządu")
        verbose_name_plural = _("jednostki samorządu")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
