"""Template tags that write a form field or a table row of a formset in Python (``{% load fields %}``).

The offer form has seven sections and four row tables; rendered through crispy's templates and one include per
row it spent most of its time in template machinery. These tags write the same Bootstrap 5 markup directly:
label, widget (with Django's own aria-describedby / aria-invalid), help text and errors on the field.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .renderers import attrs_html, esc

register = template.Library()
ASTERISK = '<span class="asteriskField">*</span>'

# Markup is built with f-strings and ``esc`` (what ``format_html`` does, without its per-argument wrappers: a page
# of the offer form calls these a few hundred times) and marked safe once.


def _widget(field, extra_class: str) -> str:
    widget = field.field.widget
    css = widget.attrs.get("class", "")
    if extra_class and extra_class not in css.split():
        css = f"{css} {extra_class}".strip()
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})  # safe HTML from the renderer


def _help_and_errors(field, block: bool = False) -> str:
    help_text = ""
    if field.help_text:
        help_text = f'<div id="{esc(field.auto_id)}_helptext" class="form-text">{esc(field.help_text)}</div>'
    errors = ""
    if field.errors:
        items = "".join(f"<p>{esc(error)}</p>" for error in field.errors)
        shown = " d-block" if block else ""  # a radio group's feedback has no invalid input right before it
        errors = f'<div id="{esc(field.auto_id)}_error" class="invalid-feedback{shown}">{items}</div>'
    return help_text + errors


def _radios(bound):
    """A radio group as a fieldset with its legend (what crispy writes, without its template white space)."""
    invalid = " is-invalid" if bound.errors else ""
    required, star = (" requiredField", ASTERISK) if bound.field.required else ("", "")
    options = []
    for radio in bound.subwidgets:
        data = radio.data
        attrs = {**data["attrs"], "class": f"form-check-input{invalid}"}
        option_id = attrs.get("id", "")
        options.append(
            f'<div class="form-check"><input type="radio" name="{esc(data["name"])}" value="{esc(data["value"])}"'
            f'{attrs_html(attrs)}><label for="{esc(option_id)}" class="form-check-label">{esc(data["label"])}</label>'
            "</div>"
        )
    return mark_safe(  # noqa: S308 - every text in it is escaped (esc)
        f'<div id="div_{esc(bound.auto_id)}" class="mb-3"><fieldset><legend class="form-label fs-6{required}">'
        f"{esc(bound.label)}{star}</legend><div>{''.join(options)}</div>{_help_and_errors(bound, block=True)}"
        "</fieldset></div>"
    )


@register.simple_tag
def field(bound):
    """One field as crispy's Bootstrap 5 layout writes it (radio groups still go through crispy)."""
    widget = bound.field.widget
    auto_id = esc(bound.auto_id)
    if isinstance(widget, forms.CheckboxInput):
        return mark_safe(  # noqa: S308 - every text in it is escaped (esc) or is the renderer's safe HTML
            f'<div class="mb-3"><div id="div_{auto_id}" class="form-check">{_widget(bound, "form-check-input")}'
            f'<label for="{esc(bound.id_for_label)}" class="form-check-label">{esc(bound.label)}</label>'
            f"{_help_and_errors(bound)}</div></div>"
        )
    if type(widget) is forms.RadioSelect:
        return _radios(bound)
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return as_crispy_field(bound)
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    required = bound.field.required
    label_class, star = ("form-label requiredField", ASTERISK) if required else ("form-label", "")
    return mark_safe(  # noqa: S308 - every text in it is escaped (esc) or is the renderer's safe HTML
        f'<div id="div_{auto_id}" class="mb-3"><label for="{esc(bound.id_for_label)}" class="{label_class}">'
        f"{esc(bound.label)}{star}</label>{_widget(bound, css)}{_help_and_errors(bound)}</div>"
    )


@register.simple_tag
def formset_row(form, row):
    """One form of a formset as a table row; on a phone the row becomes a card and the labels show."""
    hidden = "".join(str(h) for h in form.hidden_fields())
    row = esc(row)
    cells = []
    for index, bound in enumerate(form.visible_fields()):
        errors = "".join(f'<div class="invalid-feedback d-block">{esc(e)}</div>' for e in bound.errors)
        cells.append(
            f'<td>{hidden if index == 0 else ""}<label class="cell-label" for="{esc(bound.id_for_label)}">'
            f"{esc(bound.label)} (wiersz {row})</label>{_widget(bound, '')}{errors}</td>"
        )
    non_field = ""
    if form.non_field_errors():
        text = esc(" ".join(str(e) for e in form.non_field_errors()))
        non_field = f'<tr><td colspan="9"><div class="text-danger">{text}</div></td></tr>'
    return mark_safe(f"<tr>{''.join(cells)}</tr>{non_field}")  # noqa: S308 - escaped above


def _management_form(formset) -> str:
    """The formset's hidden counters (what ``{{ formset.management_form }}`` writes, without its template)."""
    management = formset.management_form
    if management.errors:  # tampered counters: Django's own rendering, with the errors
        return str(management)
    return "".join(str(bound) for bound in management.hidden_fields())


# Header cells and empty row of formsets whose form has ``static_rows = True`` (no per-request choices, no form
# kwargs): the same markup every time, made once per process and language.
_STATIC_ROWS: dict = {}


def _header_and_empty_row(formset) -> tuple[str, str]:
    key = None
    if getattr(formset.form, "static_rows", False) and not formset.form_kwargs:
        key = (type(formset), formset.prefix, get_language())
        if key in _STATIC_ROWS:
            return _STATIC_ROWS[key]
    empty = formset.empty_form  # a new form each time it is read: read once
    header = "".join(f'<th scope="col">{esc(bound.label)}</th>' for bound in empty.visible_fields())
    parts = (header, formset_row(empty, "__row__"))
    if key is not None:
        _STATIC_ROWS[key] = parts
    return parts


@register.simple_tag
def formset_table(formset, caption):
    """A formset as a table of rows with its counters, errors and the empty row for "Dodaj wiersz" (formset.js)."""
    errors = formset.non_form_errors()
    alert = (
        f'<div class="alert alert-danger" role="alert">{" ".join(esc(error) for error in errors)}</div>'
        if errors
        else ""
    )
    header, empty_row = _header_and_empty_row(formset)
    rows = "".join(formset_row(form, number) for number, form in enumerate(formset, start=1))
    return mark_safe(  # noqa: S308 - every text in it is escaped (esc) or is the renderer's safe HTML
        f'<div data-formset="{esc(formset.prefix)}">\n{_management_form(formset)}\n{alert}\n'
        '<div class="table-responsive">\n<table class="table align-top table-cards">\n'
        f'  <caption class="visually-hidden">{esc(caption)}</caption>\n'
        f"  <thead><tr>{header}</tr></thead>\n  <tbody data-formset-body>\n  {rows}\n  </tbody>\n</table>\n</div>\n"
        f"<template data-formset-empty>{empty_row}</template>\n"
        '<button type="button" class="btn btn-outline-secondary btn-sm mb-3" data-formset-add hidden>'
        "Dodaj wiersz</button>\n</div>"
    )
