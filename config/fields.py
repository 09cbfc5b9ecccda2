"""Template tags that write a form field or a table row of a formset in Python (``{% load fields %}``).

The offer form has seven sections and four row tables; rendered through crispy's templates and one include per
row it spent most of its time in template machinery. These tags write the same Bootstrap 5 markup directly:
label, widget (with Django's own aria-describedby / aria-invalid), help text and errors on the field.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import format_html, format_html_join

register = template.Library()


def _widget(field, extra_class: str):
    widget = field.field.widget
    css = f"{widget.attrs.get('class', '')} {extra_class}".strip()
    if field.errors:
        css += " is-invalid"
    return field.as_widget(attrs={"class": css})  # safe HTML from the renderer


def _help_and_errors(field):
    help_text = ""
    if field.help_text:
        help_text = format_html('<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text)
    errors = ""
    if field.errors:
        items = format_html_join("", "<p>{}</p>", ((error,) for error in field.errors))
        errors = format_html('<div id="{}_error" class="invalid-feedback">{}</div>', field.auto_id, items)
    return format_html("{}{}", help_text, errors)


@register.simple_tag
def field(bound):
    """One field as crispy's Bootstrap 5 layout writes it (radio groups still go through crispy)."""
    widget = bound.field.widget
    if isinstance(widget, forms.CheckboxInput):
        return format_html(
            '<div class="mb-3"><div id="div_{}" class="form-check">{}'
            '<label for="{}" class="form-check-label">{}</label>{}</div></div>',
            bound.auto_id,
            _widget(bound, "form-check-input"),
            bound.id_for_label,
            bound.label,
            _help_and_errors(bound),
        )
    if isinstance(widget, (forms.RadioSelect, forms.CheckboxSelectMultiple)):
        return as_crispy_field(bound)
    css = "form-select" if isinstance(widget, forms.Select) else "form-control"
    required = format_html('<span class="{}">*</span>', "asteriskField") if bound.field.required else ""
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label{}">{}{}</label>{}{}</div>',
        bound.auto_id,
        bound.id_for_label,
        " requiredField" if bound.field.required else "",
        bound.label,
        required,
        _widget(bound, css),
        _help_and_errors(bound),
    )


@register.simple_tag
def formset_row(form, row):
    """One form of a formset as a table row; on a phone the row becomes a card and the labels show."""
    hidden = format_html_join("", "{}", ((h,) for h in form.hidden_fields()))
    cells = []
    for index, bound in enumerate(form.visible_fields()):
        errors = format_html_join("", '<div class="invalid-feedback d-block">{}</div>', ((e,) for e in bound.errors))
        cells.append(
            format_html(
                '<td>{}<label class="cell-label" for="{}">{} (wiersz {})</label>{}{}</td>',
                hidden if index == 0 else "",
                bound.id_for_label,
                bound.label,
                row,
                _widget(bound, ""),
                errors,
            )
        )
    non_field = ""
    if form.non_field_errors():
        non_field = format_html(
            '<tr><td colspan="9"><div class="text-danger">{}</div></td></tr>',
            " ".join(str(e) for e in form.non_field_errors()),
        )
    return format_html("<tr>{}</tr>{}", format_html_join("", "{}", ((c,) for c in cells)), non_field)
