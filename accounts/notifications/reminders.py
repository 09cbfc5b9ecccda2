"""Reminders a few days before a deadline the organisation must meet (run daily by ``manage.py send_notifications``).

Each reminder has a key naming what it reminds of and the deadline, and ``notify`` writes it at most once per person:
the run may be repeated, or run every day of the window, and a person is reminded once. A deadline moved later
is a new key, so it is reminded of again. Reminders start ``REMINDER_DAYS_BEFORE`` days before the deadline (the
first run inside that window sends them).
"""

from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from config.polish import format_date

from .models import Notification
from .services import notify, organisation_members

K = Notification.Kind


def _window(today: date, days: int) -> tuple[date, date]:
    return today, today + timedelta(days=days)


def _remind(*, organisation_id: int, subject: str, body: str, url: str, key: str) -> int:
    return len(
        notify(
            kind=K.REMINDER,
            recipients=organisation_members(organisation_id),
            subject=subject,
            body=body,
            url=url,
            key=key,
        )
    )


def defect_notice_reminders(today: date, days: int) -> int:
    from grants.models import DefectNotice, Offer

    first, last = _window(today, days)
    notices = DefectNotice.objects.filter(
        resolved_by__isnull=True,
        offer__status=Offer.Status.DEFECT_NOTICE,
        deadline__date__gte=first,
        deadline__date__lte=last,
    ).select_related("offer__organisation", "offer__call")
    sent = 0
    for notice in notices:
        offer = notice.offer
        deadline = timezone.localtime(notice.deadline)
        name = "grants:offer-edit" if offer.call_id else "grants:small-grant-edit"
        sent += _remind(
            organisation_id=offer.organisation_id,
            subject=f"Przypomnienie: uzupełnienie braków oferty do {deadline:%d.%m.%Y, %H:%M}",
            body=f"Urząd wezwał do uzupełnienia braków formalnych oferty „{offer.title}”. Termin upływa "
            f"{deadline:%d.%m.%Y o %H:%M}; oferta nieuzupełniona w terminie nie będzie rozpatrywana.\n\n"
            f"Wskazane braki: {notice.review.reasons}",
            url=reverse(name, args=[offer.pk]),
            key=f"defect:{notice.pk}:{deadline:%Y-%m-%dT%H:%M}",
        )
    return sent


def call_draft_reminders(today: date, days: int) -> int:
    """Drafts never submitted in a call whose deadline is near."""
    from grants.models import Offer, OpenCall

    first, last = _window(today, days)
    drafts = Offer.objects.filter(
        status=Offer.Status.DRAFT,
        current_version__isnull=True,
        call__status=OpenCall.Status.PUBLISHED,
        call__submission_deadline__date__gte=first,
        call__submission_deadline__date__lte=last,
    ).select_related("call")
    sent = 0
    for offer in drafts:
        deadline = timezone.localtime(offer.call.submission_deadline)
        sent += _remind(
            organisation_id=offer.organisation_id,
            subject=f"Przypomnienie: oferta nie jest złożona, termin {deadline:%d.%m.%Y, %H:%M}",
            body=f"Oferta „{offer.title or '(bez tytułu)'}” w konkursie {offer.call.number} jest wersją roboczą – "
            f"urząd jej nie widzi. Termin składania ofert upływa {deadline:%d.%m.%Y o %H:%M}.",
            url=reverse("grants:offer-edit", args=[offer.pk]),
            key=f"call-draft:{offer.pk}:{deadline:%Y-%m-%dT%H:%M}",
        )
    return sent


def partial_report_reminders(today: date, days: int) -> int:
    """Partial reports the office asked for (art. 18 ust. 2), not submitted yet, due soon."""
    from grants.models import GrantReport

    first, last = _window(today, days)
    reports = GrantReport.objects.filter(
        kind=GrantReport.Kind.PARTIAL,
        status__in=[GrantReport.Status.DRAFT, GrantReport.Status.RETURNED],
        due_date__gte=first,
        due_date__lte=last,
    ).select_related("agreement")
    sent = 0
    for report in reports:
        sent += _remind(
            organisation_id=report.agreement.organisation_id,
            subject=f"Przypomnienie: sprawozdanie częściowe do {format_date(report.due_date)}",
            body=f"Sprawozdanie częściowe z realizacji umowy {report.agreement.number} należy złożyć do "
            f"{format_date(report.due_date)}.",
            url=reverse("grants:grant-report-edit", args=[report.pk]),
            key=f"partial-report:{report.pk}:{report.due_date:%Y-%m-%d}",
        )
    return sent


def official_request_reminders(today: date, days: int) -> int:
    """Official requests of the office in a case's correspondence, not answered yet, due soon."""
    from grants.correspondence.models import Message
    from grants.correspondence.threads import KINDS

    first, last = _window(today, days)
    requests = Message.objects.open_requests().filter(response_deadline__gte=first, response_deadline__lte=last)
    sent = 0
    for message in requests:
        kind = next(word for word, field in KINDS.items() if getattr(message, f"{field}_id"))
        pk = message.offer_id or message.agreement_id or message.grant_report_id
        sent += _remind(
            organisation_id=message.organisation_id,
            subject=f"Przypomnienie: odpowiedź na wezwanie urzędu do {format_date(message.response_deadline)}",
            body=f"Urząd czeka na odpowiedź na wezwanie z {format_date(message.sent_at)} (termin "
            f"{format_date(message.response_deadline)}):\n\n{message.text}",
            url=reverse("correspondence:thread", args=[kind, pk]) + f"#wiadomosc-{message.pk}",
            key=f"request:{message.pk}:{message.response_deadline:%Y-%m-%d}",
        )
    return sent


def reminders_send(*, today: date | None = None, days: int | None = None) -> dict[str, int]:
    """Every kind of reminder due today; returns how many people were reminded, per kind."""
    from grants.services.grant_reports import send_reminders as final_report_reminders

    today = today or timezone.localdate()
    days = settings.REMINDER_DAYS_BEFORE if days is None else days
    return {
        "final_report": final_report_reminders(today=today, days_before=days, site=settings.SITE_URL),
        "partial_report": partial_report_reminders(today, days),
        "defect_notice": defect_notice_reminders(today, days),
        "call_draft": call_draft_reminders(today, days),
        "official_request": official_request_reminders(today, days),
    }
