"""Form rendering without a template per widget.

Django renders every widget through templates (an input is three templates deep); on the offer form that is a
few hundred template renders per page and most of its server time. The common widgets are plain HTML, so
:class:`FastRenderer` writes them in Python, character for character what Django's own templates produce
(``tests/config/test_renderers.py`` compares both), and hands everything else to the templates.
"""

import re
from html import escape as _html_escape

from django.forms.renderers import DjangoTemplates


def esc(value) -> str:
    """``conditional_escape`` without its wrappers (it is called thousands of times per offer form): the same text,
    as a plain ``str`` for building markup that is marked safe once, at the end. Most texts (names, ids, numbers)
    hold nothing to escape: one search in C answers that, instead of ``html.escape``'s five replacements."""
    if type(value) is not str:
        if hasattr(value, "__html__"):
            return value.__html__()
        value = str(value)
    if _SPECIAL(value) is None:
        return value
    return _html_escape(value)


_SPECIAL = re.compile("[&<>\"']").search


_INPUT = "django/forms/widgets/input.html"
_INPUTS = {
    f"django/forms/widgets/{name}.html"
    for name in ("text", "number", "email", "url", "password", "hidden", "date", "datetime", "time", "checkbox")
} | {_INPUT}


def _attrs(attrs: dict) -> str:
    parts = []
    for name, value in attrs.items():
        if value is False:
            continue
        name = esc(name)
        parts.append(f" {name}" if value is True else f' {name}="{esc(value)}"')
    return "".join(parts)


def _input(widget: dict) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{esc(value)}"'
    kind, name = esc(widget["type"]), esc(widget["name"])
    return f'<input type="{kind}" name="{name}"{shown}{_attrs(widget["attrs"])}>'


def _textarea(widget: dict) -> str:
    value = widget["value"]
    text = esc(value) if value else ""
    return f'<textarea name="{esc(widget["name"])}"{_attrs(widget["attrs"])}>\n{text}</textarea>'


def _select(widget: dict) -> str:
    out = [f'<select name="{esc(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            out.append(f'\n  <optgroup label="{esc(group_name)}">')
        for option in group_choices:
            out.append(
                f'\n  <option value="{esc(option["value"])}"{_attrs(option["attrs"])}>'
                f"{esc(option['label'])}</option>\n"  # the option template ends in a newline
            )
        if group_name:
            out.append("\n  </optgroup>")
    out.append("\n</select>")
    return "".join(out)


attrs_html = _attrs  # for the field tags (config/fields.py)


class FastRenderer(DjangoTemplates):
    """Django's template renderer, with inputs, text areas and selects written directly."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if widget is not None:
            if template_name in _INPUTS:
                return _input(widget)
            if template_name == "django/forms/widgets/textarea.html":
                return _textarea(widget).strip()
            if template_name == "django/forms/widgets/select.html" and all(
                option.get("template_name") == "django/forms/widgets/select_option.html"
                for _name, options, _index in widget["optgroups"]
                for option in options
            ):
                return _select(widget)
        return super().render(template_name, context, request=request)
