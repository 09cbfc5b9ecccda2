"""E-mails of local initiative (art. 19b–19h) sent by the background worker, never in the request.

Services queue ``local_initiative_notify`` after commit; the task reads the request as it is then and writes one
e-mail to the initiator (and the organisation, when it applied), so a slow mail server never holds a page. The
e-mail is recorded and sent by the notification tasks, which retry a failed send.
"""

import logging

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django_tasks import task

logger = logging.getLogger(__name__)

SUBJECTS = {
    "submitted": "Potwierdzenie złożenia wniosku o inicjatywę lokalną",
    "completion": "Wniosek o inicjatywę lokalną do uzupełnienia",
    "accepted": "Wniosek o inicjatywę lokalną przyjęty do realizacji",
    "refused": "Wniosek o inicjatywę lokalną nieprzyjęty",
    "report_accepted": "Sprawozdanie z inicjatywy lokalnej przyjęte",
}


def notify_after_commit(request_id: int, kind: str) -> None:
    transaction.on_commit(lambda: local_initiative_notify.enqueue(request_id, kind))


@task()
def local_initiative_notify(request_id: int, kind: str) -> int:
    """Send one notice about the request; returns how many e-mails went out."""
    from accounts.notifications.services import email_on_commit

    from .models import LocalInitiativeRequest

    li_request = (
        LocalInitiativeRequest.objects.select_related("authority", "organisation", "created_by")
        .filter(pk=request_id)
        .first()
    )
    if li_request is None or kind not in SUBJECTS:
        return 0
    to = {li_request.initiator_email, li_request.created_by.email}
    if li_request.organisation_id and li_request.organisation.email:
        to.add(li_request.organisation.email)
    body = render_to_string(
        "grants/local_initiative/email/notice.txt", {"li_request": li_request, "kind": kind, "base": settings}
    )
    # Recorded and sent by its own task: a failed send is retried (accounts/notifications/tasks.py).
    email_on_commit(subject=SUBJECTS[kind], body=body, to=to - {""})
    return 1
