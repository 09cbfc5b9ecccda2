"""A confirmation step before an irreversible action, without JavaScript.

The first POST of the action's form answers with a page saying what will happen and who will be notified; that page
posts the same fields again with ``CONFIRM_FIELD`` = 1, and only then does the view call its service (= 0 goes back
to the form with what was typed). The fields are replayed as hidden inputs, so this works for any plain form (not
for file uploads). Views validate before asking, so the page never confirms something the service will refuse.
"""

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

CONFIRM_FIELD = "potwierdzenie"
_NOT_REPLAYED = {"csrfmiddlewaretoken", CONFIRM_FIELD}


@dataclass
class Confirmation:
    """What the confirmation page states; every text is Polish and is shown as written."""

    title: str
    action: str  # the button: "Złóż kartę oceny"
    consequences: list[str]  # what will happen, each a sentence
    notified: list[str] = field(default_factory=list)  # who gets an e-mail (or other notice)
    warnings: list[str] = field(default_factory=list)
    # The closing sentence: most actions cannot be undone; a few can still be changed until a later act.
    final: str = "Tej czynności nie można cofnąć."


def is_confirmed(request: HttpRequest) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "1"


def is_going_back(request: HttpRequest) -> bool:
    """The visitor chose to return to the form: show it again with what they typed, do nothing."""
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == "0"


def confirmation_page(request: HttpRequest, confirmation: Confirmation) -> HttpResponse:
    """The page that asks to confirm; it posts back to the same URL with the same fields."""
    replay = [
        (name, value) for name in request.POST if name not in _NOT_REPLAYED for value in request.POST.getlist(name)
    ]
    return render(
        request,
        "includes/confirm.html",
        {"confirmation": confirmation, "replay": replay, "confirm_field": CONFIRM_FIELD, "action_url": request.path},
    )
