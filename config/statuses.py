"""One look for every status in the portal: a tone (colour) for each status value, by model.

Templates show a status with ``{% status_badge obj %}`` (``config/badges.py``); the tone says what the status means
to the reader, the text is always the status's own Polish label, so colour is never the only signal (WCAG 1.4.1).
Tones and their colours (static/css/portal.css, each ≥ 4.5:1 against its text):

- ``draft``: not yet sent or published (grey);
- ``progress``: with the office or the commission, nothing to do for the reader yet (blue);
- ``action``: someone must act – a defect notice, an update required, a report returned (amber, black text);
- ``success``: granted, accepted, signed, adopted (green);
- ``danger``: rejected, refused, annulled, terminated, overdue (red);
- ``closed``: finished and settled, nothing more will happen (dark grey).
"""

from dataclasses import dataclass

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import get_language

TONES = ("draft", "progress", "action", "success", "danger", "closed")

# model label → status value → tone; a value not listed is shown as "progress".
STATUS_TONES: dict[str, dict[str, str]] = {
    "grants.opencall": {
        "draft": "draft",
        "published": "success",
        "submission_closed": "progress",
        "formal_review": "progress",
        "commission_review": "progress",
        "decided": "success",
        "finished": "closed",
        "annulled": "danger",
    },
    "grants.offer": {
        "draft": "draft",
        "submitted": "progress",
        "withdrawn": "closed",
        "defect_notice": "action",
        "formally_accepted": "success",
        "formally_rejected": "danger",
    },
    "grants.award": {"proposed": "progress", "granted": "success", "refused": "danger"},
    "grants.offerupdate": {
        "required": "action",
        "submitted": "progress",
        "returned": "action",
        "accepted": "success",
        "withdrawn": "closed",
    },
    "grants.appeal": {"filed": "progress", "rescoring": "progress", "upheld": "success", "dismissed": "danger"},
    "grants.agreement": {"draft": "draft", "signed": "success", "performed": "closed", "terminated": "danger"},
    "grants.grantreport": {"draft": "draft", "submitted": "progress", "returned": "action", "accepted": "success"},
    "grants.control": {"planned": "progress", "done": "closed", "cancelled": "draft"},
    "grants.commission": {"composing": "draft", "scoring": "progress", "recompose": "action", "closed": "closed"},
    "grants.scorecard": {"draft": "draft", "submitted": "success"},
    "consultations.consultation": {
        "draft": "draft",
        "announced": "success",
        "closed": "progress",
        "reported": "closed",
    },
    "consultations.consultationcomment": {"draft": "draft", "submitted": "progress"},
    "programmes.programme": {
        "draft": "draft",
        "in_consultation": "progress",
        "consulted": "progress",
        "adopted": "success",
        "in_force": "success",
        "reported": "closed",
    },
    "grants.localinitiativerequest": {
        "draft": "draft",
        "submitted": "progress",
        "completion": "action",
        "accepted": "success",
        "refused": "danger",
        "withdrawn": "closed",
    },
    "grants.localinitiativeagreement": {
        "draft": "draft",
        "signed": "success",
        "completed": "closed",
        "terminated": "danger",
    },
    "grants.localinitiativereport": {"submitted": "progress", "returned": "action", "accepted": "success"},
    "reports.renderedpdf": {"pending": "progress", "ready": "success", "failed": "danger"},
    "signatures.issueddocument": {"pending": "progress", "ready": "success", "failed": "danger"},
}


@dataclass(frozen=True)
class Badge:
    """What a badge shows: its tone and its text."""

    tone: str
    text: str


def status_badge_of(obj, field: str = "status") -> Badge | None:
    """The badge of ``obj``'s status (its choices label, coloured by the table above); ``None`` without a status."""
    if obj is None:
        return None
    value = getattr(obj, field, None)
    if value in (None, ""):
        return None
    tones = STATUS_TONES.get(obj._meta.label_lower, {})
    return Badge(tones.get(value, "progress"), value_label(obj, field, value))


_LABELS: dict[tuple[str, str], dict] = {}


def choice_label(obj, field: str) -> str:
    """``obj.get_<field>_display()`` from the table below (made once per field)."""
    return value_label(obj, field, getattr(obj, field))


def value_label(obj, field: str, value) -> str:
    """What ``obj.get_<field>_display()`` says for ``value``, from a table made once per field (``obj`` may be the
    model itself, for rows read as dicts): Django's method rebuilds the table from the field's choices on every
    call, which on a list of a hundred rows was thousands of calls."""
    label = _labels(obj, field).get(value, value)
    return label if isinstance(label, str) else _text(obj, field, value, label)


def _labels(obj, field: str) -> dict:
    """The field's choices as a table, made once per model and field."""
    key = (obj._meta.label_lower, field)
    labels = _LABELS.get(key)
    if labels is None:
        try:
            choices = obj._meta.get_field(field).flatchoices
        except FieldDoesNotExist:  # not a model field: shown as it is
            choices = []
        labels = _LABELS[key] = dict(choices)
    return labels


def _text(obj, field: str, value, label) -> str:
    """A lazy label translated once per language (``str`` of it asks the catalogue on every call)."""
    key = (obj._meta.label_lower, field, value, get_language())
    text = _TEXTS.get(key)
    if text is None:
        text = _TEXTS[key] = str(label)
    return text


_TEXTS: dict[tuple, str] = {}


def cache_choice_labels(models) -> int:
    """Every ``get_<field>_display()`` Django made for ``models`` answers from ``value_label``'s tables.

    Django's own method rebuilds a dict of the field's choices on every call, hashing each lazy label (a
    translation each): 0.3–0.4 ms a call, which made it a fifth of the directory's work (a legal form per row) and
    a tenth of "Moja komisja". The answer is the same (``tests/config/test_choice_labels.py`` compares every
    choice of every model); a method a model writes itself is left alone. Called once, from
    ``accounts.apps.AccountsConfig.ready``. Returns how many methods it replaced."""
    from functools import partialmethod

    from django.db.models import Model
    from django.utils.choices import CallableChoiceIterator

    replaced = 0
    for model in models:
        for field in model._meta.fields:
            name = f"get_{field.name}_display"
            current = model.__dict__.get(name)
            if not isinstance(current, partialmethod) or current.func is not Model._get_FIELD_display:
                continue
            if isinstance(field.choices, CallableChoiceIterator):
                continue  # choices made anew on each use: Django's own method reads them each time
            try:
                method = _display_method(model, field)
            except TypeError:  # an unhashable choice: Django's own method copes
                continue
            setattr(model, name, method)
            replaced += 1
    return replaced


def _display_method(model, field):
    from django.db.models import Model
    from django.utils.encoding import force_str
    from django.utils.functional import Promise

    labels = _labels(model, field.name)

    def display(self):
        value = getattr(self, field.attname)
        try:
            label = labels.get(value, value)  # as Django's: what is not a choice is shown as it is
        except TypeError:  # an unhashable value: Django's own way
            return Model._get_FIELD_display(self, field)
        if isinstance(label, Promise):
            return _text(model, field.name, value, label)
        return force_str(label, strings_only=True)

    display.__name__ = f"get_{field.name}_display"
    return display
