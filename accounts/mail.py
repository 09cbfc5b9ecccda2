"""E-mail goes through Django's mail framework, rendered from Polish templates, after commit."""

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string


def send_templated_mail_on_commit(*, template: str, to: list[str], context: dict) -> None:
    """Render ``<template>_subject.txt`` and ``<template>.txt`` and send once the transaction commits."""
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body = render_to_string(f"{template}.txt", context)
    transaction.on_commit(lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to))


def site_url(request) -> str:
    """The portal's address as the person sees it, for links in e-mails."""
    return request.build_absolute_uri("/").rstrip("/")
