"""One place per workflow says which status may follow which; services call ``advance`` and nothing else sets it."""

from django.core.exceptions import ValidationError


def advance(obj, to: str, transitions: dict[str, set[str]], field: str = "status") -> str:
    """Move ``obj`` to status ``to`` if the table allows it from its current status; return the old status."""
    current = getattr(obj, field)
    if to not in transitions.get(current, set()):
        labels = dict(obj._meta.get_field(field).choices)
        raise ValidationError(
            f"Nie można zmienić statusu z „{labels.get(current, current)}” na „{labels.get(to, to)}”.",
            code="invalid_transition",
        )
    setattr(obj, field, to)
    return current
