"""The audit log (django-auditlog, ``accounts/audit.py``) read back as a history a person can follow, in Polish.

A page's history is the log entries of a few objects: the object itself and the rows that belong to it (an offer's
versions, notices and award; an agreement's tranches and annexes …), given as ``Target``s, each a model and a
queryset of its rows' primary keys. All of them are read in one query (the keys as subqueries), with the actors;
nothing else is read per entry, so the page costs the same for ten entries or a thousand.

What an entry says: who (the actor's name; for an organisation's people, staff are shown as "urząd"), when, what
(the kind of object), and each changed field under its Polish label with both values formatted as the portal writes
them (dates, money, choices); a status change reads "z „X” na „Y”". Fields without a Polish label (technical ones)
are left out rather than shown in English.
"""

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet
from django.utils import timezone

from config.polish import format_date, format_money, format_number

TEXT_SHOWN = 300
MONEY_DIGITS = (14, 2)
# Fields never shown: working copies, checksums and bookkeeping that say nothing to a reader.
HIDDEN_FIELDS = {"typed_input", "revision", "updated_at", "search_name", "sha256", "data", "public_id", "token"}

ACTIONS = {
    LogEntry.Action.CREATE: "utworzono",
    LogEntry.Action.UPDATE: "zmieniono",
    LogEntry.Action.DELETE: "usunięto",
    LogEntry.Action.ACCESS: "otwarto",
}


@dataclass(frozen=True)
class Target:
    """The log entries of ``model`` rows whose keys ``ids`` yields (a ``values("pk")`` queryset or a list);
    ``hidden`` fields of that model are not shown (e.g. proposals an organisation may not see yet)."""

    model: type[models.Model]
    ids: QuerySet | list
    hidden: frozenset[str] = frozenset()
    subject: str = ""


@dataclass
class Change:
    label: str
    old: str
    new: str
    is_status: bool = False


@dataclass
class Event:
    when: datetime
    actor: str
    action: str
    subject: str
    changes: list[Change] = field(default_factory=list)

    @property
    def status_change(self) -> Change | None:
        return next((change for change in self.changes if change.is_status), None)


def _label(model_field) -> str | None:
    """The field's Polish label, or ``None`` for a field whose label Django made up from its English name."""
    label = str(getattr(model_field, "verbose_name", ""))
    if model_field.name == "status":
        return "status"  # the same word in both languages
    if not label or label == model_field.name.replace("_", " "):
        return None
    return label


def _parse_datetime(value: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if timezone.is_naive(moment):  # auditlog keeps date-times as naive UTC
        moment = moment.replace(tzinfo=UTC)
    return timezone.localtime(moment)


def format_value(model_field, value) -> str:
    """One logged value (auditlog keeps them as text; ``"None"`` for none) as the portal shows it."""
    if value is None or value in ("None", ""):
        return "—"
    value = str(value)
    choices = getattr(model_field, "flatchoices", None)
    if choices:
        labels = {str(key): str(label) for key, label in choices}
        return labels.get(value, value)
    if isinstance(model_field, models.BooleanField):
        return "tak" if value in ("True", "true", "1") else "nie"
    if isinstance(model_field, models.DateTimeField):
        moment = _parse_datetime(value)
        return f"{format_date(moment)}, {moment:%H:%M}" if moment else value
    if isinstance(model_field, models.DateField):
        try:
            return format_date(date.fromisoformat(value[:10]))
        except ValueError:
            return value
    if isinstance(model_field, models.DecimalField):
        try:
            number = Decimal(value)
        except InvalidOperation:
            return value
        if (model_field.max_digits, model_field.decimal_places) == MONEY_DIGITS:
            return format_money(number)
        return format_number(number, model_field.decimal_places)
    if isinstance(model_field, models.IntegerField):
        try:
            return format_number(int(value))
        except ValueError:
            return value
    if isinstance(model_field, models.JSONField):
        return "zmieniono"
    if len(value) > TEXT_SHOWN:
        return value[:TEXT_SHOWN].rstrip() + "…"
    return value


def _changes(model, changes: dict, hidden: frozenset[str], action: int) -> list[Change]:
    shown = []
    for name, values in (changes or {}).items():
        if name in HIDDEN_FIELDS or name in hidden or not isinstance(values, list | tuple) or len(values) != 2:
            continue
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:  # a field since removed from the model
            continue
        if model_field.is_relation:
            # Who did it is the actor; other links (versions, budget lines) are told by their own entries.
            continue
        label = _label(model_field)
        if label is None:
            continue
        old, new = (format_value(model_field, value) for value in values)
        if action == LogEntry.Action.CREATE and (new == "—" or name != "status"):
            # A new object's every field would drown the page: its creation says it, its status says where it is.
            continue
        if old == new:
            continue
        shown.append(Change(label, old, new, is_status=name == "status"))
    return shown


def _subject(model, entry: LogEntry, target: Target) -> str:
    name = target.subject or str(model._meta.verbose_name)
    return f"{name[:1].upper()}{name[1:]}: {entry.object_repr}" if entry.object_repr else name


def history(targets: list[Target], *, staff_as_office_for=None) -> list[Event]:
    """The events of ``targets``, newest first. ``staff_as_office_for``: the organisation ids of an NGO viewer,
    whose own people are named while everybody else who acted (the office) is shown as "urząd"."""
    condition = Q()
    by_type = {}
    for target in targets:
        content_type = ContentType.objects.get_for_model(target.model)
        by_type[content_type.pk] = target
        condition |= Q(content_type_id=content_type.pk, object_id__in=target.ids)
    if not targets:
        return []
    entries = list(
        LogEntry.objects.filter(condition)
        .exclude(action=LogEntry.Action.ACCESS)
        .select_related("actor")
        .order_by("-timestamp", "-pk")
    )
    own_people = None
    if staff_as_office_for is not None:
        from organisations.models import Membership

        own_people = set(
            Membership.objects.filter(organisation_id__in=staff_as_office_for).values_list("user_id", flat=True)
        )
    events = []
    for entry in entries:
        target = by_type[entry.content_type_id]
        model = target.model
        changes = entry.changes if isinstance(entry.changes, dict) else _loads(entry.changes)
        shown = _changes(model, changes, target.hidden, entry.action)
        if entry.action == LogEntry.Action.UPDATE and not shown:
            continue  # only hidden or technical fields changed
        events.append(
            Event(
                when=entry.timestamp,
                actor=_actor(entry, own_people),
                action=ACTIONS.get(entry.action, ""),
                subject=_subject(model, entry, target),
                changes=shown,
            )
        )
    return events


def _loads(text) -> dict:
    try:
        return json.loads(text or "{}")
    except (TypeError, ValueError):
        return {}


def _actor(entry: LogEntry, own_people: set[int] | None) -> str:
    user = entry.actor
    if user is None:
        return "portal (czynność automatyczna)"
    if own_people is not None and user.pk not in own_people:
        return "urząd"
    return user.get_full_name() or user.email
