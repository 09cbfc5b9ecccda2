"""Where an organisation has its seat and which authority's territory that is.

A seat is recorded as three names (gmina, powiat, województwo), as the TERYT register names them; an authority's
territory is the same three names, filled as far as its kind reaches: a gmina names all three, a powiat (or a city
with county rights) its powiat and województwo, a województwo only itself. A powiat's territory therefore holds the
seats of all its gminas, and a województwo's all its powiaty.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Voivodeship(models.TextChoices):
    DOLNOSLASKIE = "dolnośląskie", _("dolnośląskie")
    KUJAWSKO_POMORSKIE = "kujawsko-pomorskie", _("kujawsko-pomorskie")
    LUBELSKIE = "lubelskie", _("lubelskie")
    LUBUSKIE = "lubuskie", _("lubuskie")
    LODZKIE = "łódzkie", _("łódzkie")
    MALOPOLSKIE = "małopolskie", _("małopolskie")
    MAZOWIECKIE = "mazowieckie", _("mazowieckie")
    OPOLSKIE = "opolskie", _("opolskie")
    PODKARPACKIE = "podkarpackie", _("podkarpackie")
    PODLASKIE = "podlaskie", _("podlaskie")
    POMORSKIE = "pomorskie", _("pomorskie")
    SLASKIE = "śląskie", _("śląskie")
    SWIETOKRZYSKIE = "świętokrzyskie", _("świętokrzyskie")
    WARMINSKO_MAZURSKIE = "warmińsko-mazurskie", _("warmińsko-mazurskie")
    WIELKOPOLSKIE = "wielkopolskie", _("wielkopolskie")
    ZACHODNIOPOMORSKIE = "zachodniopomorskie", _("zachodniopomorskie")


# Which of the three names an authority of each kind is bounded by (``programmes.Authority.Kind`` codes).
MUNICIPALITY_KINDS = frozenset({"urban", "urban_rural", "rural"})
COUNTY_KINDS = frozenset({"city_county", "county"})


def normalise_name(text: str) -> str:
    """ "Powiat kozielski", " kozielski " → "kozielski": the bare name, as TERYT lists it (compared ignoring case)."""
    text = " ".join((text or "").split())
    for head in ("powiat ", "gmina miejsko-wiejska ", "gmina miejska ", "gmina wiejska ", "gmina ", "miasto "):
        if text.lower().startswith(head):
            text = text[len(head) :]
            break
    return text


def territory_parts(kind: str, municipality: str, county: str, voivodeship: str) -> dict[str, str]:
    """The seat fields an organisation in this territory must match (normalised names); empty: not recorded."""
    parts = {"voivodeship": voivodeship}
    if kind in MUNICIPALITY_KINDS:
        parts |= {"county": normalise_name(county), "municipality": normalise_name(municipality)}
    elif kind in COUNTY_KINDS:
        parts |= {"county": normalise_name(county)}
    if not all(parts.values()):
        return {}
    return parts


def seat_filter(parts: dict[str, str], prefix: str = "") -> Q:
    """Organisations (``prefix`` = the path to one) whose recorded seat lies in the territory of ``parts``."""
    return Q(**seat_lookups(parts, prefix))


def seat_lookups(parts: dict[str, str], prefix: str = "") -> dict[str, str]:
    """The lookups of ``seat_filter`` (for a query that takes them as values, ``config.prepared``)."""
    return {f"{prefix}seat_{name}__iexact": value for name, value in parts.items()}


def seat_or_town(parts: dict[str, str], city: str) -> dict[str, str]:
    """The lookups of an organisation based where an authority is: seated in its territory (``parts``), or, before
    the authority records its territory, in its town."""
    return seat_lookups(parts) if parts else {"city": city}


def seated_in_territory(parts: dict[str, str], prefix: str = ""):
    """An annotation: True where the organisation at ``prefix`` is seated in the territory of ``parts`` (every
    organisation while the authority has not recorded its territory), so a query can carry it without another one."""
    from django.db.models import BooleanField, Case, Value, When

    if not parts:
        return Value(True, output_field=BooleanField())
    return Case(When(seat_filter(parts, prefix), then=Value(True)), default=Value(False), output_field=BooleanField())
