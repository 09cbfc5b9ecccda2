"""Polish formats and grammar in every template (a builtin library): thin wrappers over ``config.polish``.

The functions other modules imported from here (``format_money``, ``format_percent``, ``polish_plural``, ``number``,
``percent``) stay importable; new code imports them from ``config.polish``.
"""

from django import template

from config import legal
from config.polish import (  # noqa: F401  (re-exported for modules that import them from here)
    NBSP,
    AuthorityGrammar,
    agree,
    format_date,
    format_money,
    format_number,
    format_percent,
    format_ratio,
    organisation_gender,
    organisation_instrumental,
    polish_plural,
)

register = template.Library()


@register.filter
def money(value) -> str:
    return format_money(value)


@register.filter
def call_funds(call) -> str:
    """A call's money (``with_funds``); "nie podano" for a call imported from past years without its budget lines,
    rather than a 0,00 zł the call never had."""
    if getattr(call, "import_batch_id", None) and not call.funds_total:
        return "nie podano"
    return format_money(call.funds_total)


@register.filter
def number(value, decimals: int = 0) -> str:
    """A grouped Polish number: ``1038`` → ``1 038``; ``12.5|number:1`` → ``12,5``."""
    return format_number(value, decimals)


@register.filter
def pluralize_pl(count, forms: str) -> str:
    """``{{ n|pluralize_pl:"organizacja,organizacje,organizacji" }}``."""
    one, few, many = forms.split(",")
    return polish_plural(count or 0, one, few, many)


@register.filter
def bank_account(value: str) -> str:
    from organisations.validators import format_bank_account

    return format_bank_account(value) if value else ""


@register.filter
def percent(value, decimals: int = 1) -> str:
    """A ratio as a Polish percentage: ``0.1234`` → ``12,3%``."""
    return format_ratio(value, decimals)


@register.filter
def isodate(value: str) -> str:
    """A date stored as ISO text in a JSON snapshot (``2026-05-31``) shown the Polish way (``31.05.2026``)."""
    return format_date(value)


def _grammar(authority) -> AuthorityGrammar:
    return authority if isinstance(authority, AuthorityGrammar) else authority.grammar


@register.filter
def in_case(authority, case: str = "nom") -> str:
    """The authority's name in a case: ``{{ authority|in_case:"ins" }}`` → "Gminą Konstancin-Jeziorna"."""
    return _grammar(authority).name(case) if authority else ""


@register.filter
def executive_in(authority, case: str = "nom") -> str:
    """Its executive organ in a case: ``{{ authority|executive_in:"acc" }}`` → "Zarząd Powiatu Kozielskiego"."""
    return _grammar(authority).executive(case) if authority else ""


@register.filter
def council_in(authority, case: str = "nom") -> str:
    """Its council in a case: ``{{ authority|council_in:"gen" }}`` → "Rady Miejskiej w Łomiankach"."""
    return _grammar(authority).council(case) if authority else ""


@register.filter
def unit_in(authority, case: str = "nom") -> str:
    """The common noun: ``z budżetu {{ authority|unit_in:"gen" }}`` → "gminy", "miasta", "powiatu"."""
    return _grammar(authority).unit(case) if authority else ""


@register.filter
def agreeing(authority, stem_and_case: str) -> str:
    """A participle agreeing with the authority: ``{{ authority|agreeing:"zwan,ins" }}`` → "zwaną" / "zwanym"."""
    stem, _, case = stem_and_case.partition(",")
    return _grammar(authority).agree(stem, case or "nom") if authority else ""


@register.filter
def executive_agreeing(authority, stem_and_case: str) -> str:
    """Agreeing with the executive organ: ``{{ authority|executive_agreeing:"któr,gen" }}`` → "którego"."""
    stem, _, case = stem_and_case.partition(",")
    return _grammar(authority).executive_agree(stem, case or "nom") if authority else ""


@register.filter
def act_citation(on) -> str:
    """The act with the consolidated text in force on the document's date: ``{{ document_date|act_citation }}``."""
    return legal.act_citation(on or None)


@register.filter
def act_journal(on) -> str:
    """Only the journal reference of that text: "Dz. U. z 2025 r. poz. 1338"."""
    return str(legal.public_benefit_act(on or None))


@register.filter
def offer_form(on, kind: str = "") -> str:
    """The offer-form regulation for a call announced on ``on``; ``|offer_form:"small"`` for small grants."""
    return str(legal.offer_form_regulation(on or None, small_grant=kind == "small"))


@register.filter
def offer_form_short(on, kind: str = "") -> str:
    """ "Dz.U. 2018 poz. 2057" (or the older form's position for calls before 1 March 2019)."""
    return legal.offer_form_regulation(on or None, small_grant=kind == "small").reference.short


@register.filter
def report_form(on, kind: str = "") -> str:
    """The report form for a call announced (or a small grant filed) on ``on``: "Dz.U. 2018 poz. 2057, zał. …"."""
    return legal.offer_form_regulation(on or None, small_grant=kind == "small").form("report")


@register.filter
def indicator_name(indicator, authority) -> str:
    """An indicator's name in the authority's words: ``{{ indicator|indicator_name:programme.authority }}``."""
    return indicator.definition.name_for(authority)


@register.filter
def indicator_measure(indicator, authority) -> str:
    return indicator.definition.measure_for(authority)


@register.filter
def organisation_ins(organisation) -> str:
    """ "a {{ organisation|organisation_ins }}" → "a Stowarzyszeniem Przyjaciół …"."""
    return organisation_instrumental(organisation.name)


@register.filter
def organisation_agreeing(organisation, stem_and_case: str) -> str:
    """ "{{ organisation|organisation_agreeing:"zwan,ins" }}" → "zwanym" (stowarzyszenie), "zwaną" (fundacja)."""
    stem, _, case = stem_and_case.partition(",")
    return agree(stem, organisation_gender(organisation.name, organisation.legal_form), case or "nom")
