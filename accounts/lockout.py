"""The key django-axes counts failed logins under: the address as login reads it.

Login ignores case (``User.objects.get_by_natural_key`` is case-insensitive), so the lockout must too;
otherwise ``Lock@…`` and ``LOCK@…`` are fresh guesses for the same account.
"""

from django.conf import settings


def normalise_email(value: str | None) -> str:
    return (value or "").strip().lower()


def lockout_username(request, credentials) -> str:
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials and credentials.get(field) is not None:
        return normalise_email(credentials.get(field))
    data = getattr(request, "data", None) or getattr(request, "POST", {})
    return normalise_email(data.get(field))
