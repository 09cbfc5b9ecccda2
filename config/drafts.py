"""Drafts never lose anything: what a person typed is kept verbatim when part of it does not validate.

A draft save stores every valid value in its place and the whole form, exactly as posted, beside it
(``typed_input``); the page binds the form to that copy again, so every value comes back with its error on
its field until a clean save clears it. Only submission requires a valid form.
"""

from django.http import QueryDict

# Buttons and tokens: what the browser posts besides the form's own fields.
_NOT_TYPED = {"csrfmiddlewaretoken", "autosave", "save", "check", "submit", "revision"}


def typed_input(post: QueryDict) -> dict[str, list[str]]:
    """The posted form as JSON-able data: every field's list of values, buttons and token left out."""
    return {name: values for name, values in post.lists() if name not in _NOT_TYPED}


def typed_data(typed: dict[str, list[str]], *, revision: int | None = None) -> QueryDict:
    """Stored input back as POST data for binding the forms, with the working copy's current revision."""
    data = QueryDict(mutable=True)
    for name, values in typed.items():
        data.setlist(name, values)
    if revision is not None:
        data["revision"] = str(revision)
    return data


def valid_part(form) -> dict:
    """The cleaned values of the fields without errors (Django drops a field from cleaned_data on error)."""
    return {name: value for name, value in getattr(form, "cleaned_data", {}).items() if name not in form.errors}
