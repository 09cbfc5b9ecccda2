"""E-mail to addresses outside the notification flow (sign-up, invitations, answers to people without an account).

Rendered from Polish templates in the request's transaction, sent by the background worker after commit through
the notification service (``accounts.notifications.services``): no request waits for a mail server.
"""


def send_templated_mail_on_commit(*, template: str, to: list[str], context: dict) -> None:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` and queue the e-mail once the transaction commits."""
    from accounts.notifications.services import email_on_commit, render_email

    subject, body = render_email(template, context)
    email_on_commit(subject=subject, body=body, to=to)


def site_url(request) -> str:
    """The portal's address as the person sees it, for links in e-mails."""
    return request.build_absolute_uri("/").rstrip("/")
