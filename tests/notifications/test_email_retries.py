"""A failed send is recorded on the notification (or the e-mail to a plain address) and tried again by the next
daily run, once sent never again; what failed too often, or too long ago, is left alone."""

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone

from accounts.notifications.models import Notification, OutgoingEmail
from accounts.notifications.services import digests_enqueue, email_on_commit, notify
from accounts.notifications.tasks import MAX_EMAIL_ATTEMPTS, emails_retry
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db
K = Notification.Kind
LATER = timedelta(minutes=11)  # past the quiet time the daily run leaves to a send still in progress


class DownBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def server_down(settings):
    settings.EMAIL_BACKEND = f"{__name__}.DownBackend"

    def up():
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    return up


def test_a_failed_notification_e_mail_is_recorded_and_sent_once_by_the_next_daily_run(committed, server_down, capsys):
    person = UserFactory()
    mail.outbox.clear()
    with committed():
        [notification] = notify(kind=K.MESSAGE, recipients=[person], subject="Nowa wiadomość", body="Treść.")
        [other] = notify(kind=K.MESSAGE, recipients=[UserFactory()], subject="Inna", body="b", key="k")
        email_on_commit(subject="Do skrzynki organizacji", body="Treść.", to=["biuro@ngo.example.pl"])
    notification.refresh_from_db()
    assert notification.emailed_at is None and notification.email_attempts == 1
    assert "SMTPServerDisconnected: Connection unexpectedly closed" in notification.email_error
    outgoing = OutgoingEmail.objects.get()
    assert outgoing.sent_at is None and outgoing.attempts == 1 and "SMTPServerDisconnected" in outgoing.last_error
    assert mail.outbox == []
    server_down()  # the server is back
    # A run right away leaves them to the sends that may still be under way; the run a little later sends them.
    with committed():
        assert emails_retry() == 0
    with time_machine.travel(timezone.now() + LATER), committed():
        call_command("send_notifications")
    assert "ponowione e-maile: 3" in capsys.readouterr().out
    assert sorted(m.subject for m in mail.outbox) == ["Do skrzynki organizacji", "Inna", "Nowa wiadomość"]
    notification.refresh_from_db()
    outgoing.refresh_from_db()
    assert notification.emailed_at is not None and outgoing.sent_at is not None
    # Another run, or a late copy of the first task, sends nothing twice.
    mail.outbox.clear()
    with time_machine.travel(timezone.now() + LATER), committed():
        assert emails_retry() == 0
    from accounts.notifications.tasks import notification_email, outgoing_email_send

    assert notification_email.call(notification.pk) is False and outgoing_email_send.call(outgoing.pk) is False
    assert mail.outbox == []


def test_a_failed_digest_waits_for_the_next_run(committed, server_down):
    person = UserFactory(notification_email="daily")
    with committed():
        notify(kind=K.REPORT, recipients=[person], subject="Sprawozdanie", body="b")
        digests_enqueue()
    waiting = Notification.objects.get(recipient=person)
    assert waiting.emailed_at is None and waiting.email_attempts == 1 and waiting.email_error
    server_down()
    mail.outbox.clear()
    with committed():
        assert digests_enqueue() == 1
    assert [m.to for m in mail.outbox] == [[person.email]]


def test_no_retry_after_the_last_attempt_or_for_an_old_event(committed):
    person = UserFactory()
    with committed():
        [tried] = notify(kind=K.MESSAGE, recipients=[person], subject="Za wiele prób", body="b")
        [old] = notify(kind=K.MESSAGE, recipients=[person], subject="Sprzed tygodnia", body="b")
    Notification.objects.filter(pk=tried.pk).update(emailed_at=None, email_attempts=MAX_EMAIL_ATTEMPTS)
    Notification.objects.filter(pk=old.pk).update(emailed_at=None, created_at=timezone.now() - timedelta(days=7))
    with committed():
        assert emails_retry(now=timezone.now() + LATER) == 0
