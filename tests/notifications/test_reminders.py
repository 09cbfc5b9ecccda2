"""Reminders come on the right day (frozen clock), once per person however often the daily run is repeated."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from accounts.notifications.models import Notification
from accounts.notifications.reminders import reminders_send
from grants.correspondence.models import Message
from grants.models import DefectNotice, FormalReview, Offer, OpenCall
from grants.services import offers as offer_services
from tests.grants.agreement_factories import make_agreement
from tests.grants.factories import OpenCallFactory, complete_offer

pytestmark = pytest.mark.django_db
WARSAW = ZoneInfo("Europe/Warsaw")


def reminded(user, prefix: str = ""):
    return list(Notification.objects.filter(recipient=user, kind=Notification.Kind.REMINDER, key__startswith=prefix))


def run_on(day: date, **kwargs):
    with time_machine.travel(datetime(day.year, day.month, day.day, 7, 0, tzinfo=WARSAW), tick=False):
        return reminders_send(days=3, **kwargs)


def test_final_report_reminder_three_days_before_once_then_once_when_overdue(organisation, ngo_admin, ngo_editor):
    agreement = make_agreement(organisation=organisation, start=date(2026, 3, 1), end=date(2026, 9, 30))
    due = agreement.report_due  # 30.10.2026
    assert run_on(due - timedelta(days=4))["final_report"] == 0
    assert reminded(ngo_admin) == []
    assert run_on(due - timedelta(days=3))["final_report"] == 1
    assert run_on(due - timedelta(days=2))["final_report"] == 0  # the next day: nothing new
    assert [n.key for n in reminded(ngo_editor)] == [f"report-due:{agreement.pk}:2026-10-30"]
    assert run_on(due + timedelta(days=1))["final_report"] == 1
    assert run_on(due + timedelta(days=2))["final_report"] == 0
    assert len(reminded(ngo_admin)) == 2 and "Minął termin" in reminded(ngo_admin)[0].subject


def test_defect_notice_reminder(authority, organisation, ngo_admin, staff_user):
    call = OpenCallFactory(programme__authority=authority)
    offer = complete_offer(call, organisation, ngo_admin)
    offer_services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    OpenCall.objects.filter(pk=call.pk).update(status=OpenCall.Status.FORMAL_REVIEW)
    deadline = datetime(2030, 5, 20, 15, 30, tzinfo=WARSAW)
    with time_machine.travel(datetime(2030, 5, 10, 9, 0, tzinfo=WARSAW), tick=False):
        offer_services.formal_review_decide(
            offer=Offer.objects.get(pk=offer.pk),
            actor=staff_user,
            checklist=FormalReview.all_confirmed() | {"attachments": False},
            outcome="defects",
            reasons="Brak statutu.",
            deadline=deadline,
        )
    assert DefectNotice.objects.count() == 1
    assert run_on(date(2030, 5, 16))["defect_notice"] == 0
    assert run_on(date(2030, 5, 17))["defect_notice"] == 1
    assert run_on(date(2030, 5, 17))["defect_notice"] == 0
    [note] = reminded(ngo_admin)
    assert "20.05.2030, 15:30" in note.subject and "Brak statutu." in note.body
    assert run_on(date(2030, 5, 21))["defect_notice"] == 0  # after the deadline: no more


def test_unsubmitted_draft_reminded_before_the_call_deadline_submitted_one_not(authority, organisation, ngo_admin):
    deadline = datetime(2030, 3, 10, 15, 0, tzinfo=WARSAW)
    call = OpenCallFactory(
        programme__authority=authority, submission_deadline=deadline, status=OpenCall.Status.PUBLISHED
    )
    complete_offer(call, organisation, ngo_admin, data={"title": "Szkic"})
    assert run_on(date(2030, 3, 6))["call_draft"] == 0
    assert run_on(date(2030, 3, 7))["call_draft"] == 1
    [note] = reminded(ngo_admin)
    assert "nie jest złożona" in note.subject and "10.03.2030" in note.subject


def test_official_request_reminded_until_answered(authority, organisation, ngo_admin, staff_user):
    from grants.correspondence.services import message_send
    from grants.correspondence.threads import LOADERS

    agreement = make_agreement(organisation=organisation, authority=authority)
    thread = LOADERS["umowa"](agreement.pk)
    with time_machine.travel(datetime(2030, 6, 1, 9, 0, tzinfo=WARSAW), tick=False):
        request = message_send(
            thread=thread,
            actor=staff_user,
            side="office",
            text="Proszę o kopie faktur.",
            official_request=True,
            response_deadline=date(2030, 6, 15),
        )
    Notification.objects.all().delete()
    assert run_on(date(2030, 6, 11))["official_request"] == 0
    assert run_on(date(2030, 6, 12))["official_request"] == 1
    [note] = reminded(ngo_admin, "request:")
    assert "15.06.2030" in note.subject and "kopie faktur" in note.body
    Notification.objects.all().delete()
    with time_machine.travel(datetime(2030, 6, 12, 10, 0, tzinfo=WARSAW), tick=False):
        message_send(thread=thread, actor=ngo_admin, side="organisation", text="W załączeniu.")
    request.refresh_from_db()
    assert request.answered_at is not None
    assert run_on(date(2030, 6, 13))["official_request"] == 0
    assert Message.objects.open_requests().count() == 0


def test_the_daily_command_sends_reminders_and_digests_through_the_worker(organisation, ngo_admin, committed, capsys):
    from django.utils import timezone

    ngo_admin.notification_email = "daily"
    ngo_admin.save()
    today = timezone.localdate()
    make_agreement(organisation=organisation, start=today - timedelta(days=90), end=today - timedelta(days=28))
    mail.outbox.clear()
    with committed():
        call_command("send_notifications")
    # The reminder waits for the digest, which the same run sends: one e-mail.
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [ngo_admin.email]
    assert "Przypomnienie o terminie (1)" in mail.outbox[0].body
    assert "final_report: 1" in capsys.readouterr().out
