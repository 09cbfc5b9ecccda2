"""Each event reaches the people who must act on it, in the portal and by e-mail (sent by the worker after
commit), and nobody else; a daily-digest person gets one grouped e-mail instead."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from accounts.notifications.models import Notification
from accounts.notifications.services import digests_enqueue, notify
from grants.models import FormalReview, GrantReport, Offer, OpenCall
from grants.services import awards as award_services
from grants.services import grant_reports as report_services
from grants.services import offers as offer_services
from organisations.models import Membership
from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory, UserFactory
from tests.grants.agreement_factories import make_agreement
from tests.grants.factories import OpenCallFactory, complete_offer
from tests.organisations.factories import MembershipFactory

pytestmark = pytest.mark.django_db
K = Notification.Kind


def recipients(kind):
    return set(Notification.objects.filter(kind=kind).values_list("recipient__email", flat=True))


def mailed():
    return sorted(address for message in mail.outbox for address in message.to)


@pytest.fixture
def submitted(authority, organisation, ngo_admin):
    call = OpenCallFactory(programme__authority=authority)
    offer = complete_offer(call, organisation, ngo_admin, data={"contact_email": "kontakt@odra.example.pl"})
    offer_services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    OpenCall.objects.filter(pk=call.pk).update(status=OpenCall.Status.FORMAL_REVIEW)
    return Offer.objects.select_related("organisation").get(pk=offer.pk)


def test_a_defect_notice_reaches_every_member_and_the_offers_mailboxes_not_staff_or_strangers(
    submitted, ngo_admin, ngo_editor, staff_user, other_ngo_admin, committed
):
    mail.outbox.clear()
    with committed():
        offer_services.formal_review_decide(
            offer=submitted,
            actor=staff_user,
            checklist=FormalReview.all_confirmed() | {"attachments": False},
            outcome="defects",
            reasons="Brak statutu.",
            deadline=timezone.now() + timedelta(days=7),
        )
    assert recipients(K.OFFER_REVIEW) == {ngo_admin.email, ngo_editor.email}
    expected = {ngo_admin.email, ngo_editor.email, submitted.organisation.email, "kontakt@odra.example.pl"}
    assert mailed() == sorted(expected)
    notice = Notification.objects.get(recipient=ngo_editor)
    assert notice.url == reverse("grants:offer-edit", args=[submitted.pk]) and notice.emailed_at is not None
    ngo_editor.refresh_from_db()
    assert ngo_editor.unread_notifications == 1


def test_nothing_is_e_mailed_before_the_transaction_commits(submitted, staff_user, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        offer_services.formal_review_decide(
            offer=submitted, actor=staff_user, checklist=FormalReview.all_confirmed(), outcome="passed", reasons=""
        )
    assert mail.outbox == [] and callbacks  # queued for the worker, sent only once committed


def test_a_submitted_report_reaches_the_staff_of_its_authority_only(
    organisation, ngo_admin, authority, committed, monkeypatch
):
    own = AuthorityStaffFactory(authority=authority).user
    other = AuthorityStaffFactory(authority=AuthorityFactory(name="Gmina Inna", slug="inna-r")).user
    call = OpenCallFactory(programme__authority=authority)
    agreement = make_agreement(organisation=organisation, call=call, authority=authority)
    report = report_services.report_start(agreement=agreement, actor=ngo_admin)
    GrantReport.objects.filter(pk=report.pk).update(declarations_confirmed=True)
    report.refresh_from_db()
    monkeypatch.setattr(report_services, "report_problems", lambda report: [])  # content is tested elsewhere
    mail.outbox.clear()
    with committed():
        report_services.report_submit(report=report, actor=ngo_admin)
    assert recipients(K.REPORT) == {own.email}
    assert other.email not in mailed() and own.email in mailed()
    assert Notification.objects.get(recipient=own).url == reverse("grants:settlement", args=[agreement.pk])


def test_an_appeal_reaches_the_deciders_not_other_staff(authority, staff_user, decider, organisation, ngo_admin):
    call = OpenCallFactory(programme__authority=authority)
    offer = complete_offer(call, organisation, ngo_admin)
    call.programme.appeal_days = 7
    call.programme.save()
    OpenCall.objects.filter(pk=call.pk).update(results_published_at=timezone.now(), status=OpenCall.Status.DECIDED)
    offer.call.refresh_from_db()
    award_services.appeal_file(offer=offer, grounds="Błąd w ocenie kryterium 2.", actor=ngo_admin)
    assert recipients(K.APPEAL) == {decider.email}


def test_an_update_to_accept_reaches_the_office(authority, staff_user, organisation, ngo_admin):
    from grants.models import OfferVersion
    from grants.services import notices

    call = OpenCallFactory(programme__authority=authority)
    offer = complete_offer(call, organisation, ngo_admin)
    version = offer_services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    Notification.objects.all().delete()

    class Update:
        pk = 12345

    OfferVersion.objects.filter(pk=version.pk).update(kind=OfferVersion.Kind.UPDATE)
    version.refresh_from_db()
    notices.offer_filed(offer=offer, version=version, update=Update())
    note = Notification.objects.get(kind=K.OFFER_SUBMITTED)
    assert note.recipient == staff_user and note.url == reverse("grants:update-review", args=[12345])


def test_offers_in_a_call_are_not_announced_one_by_one_but_a_small_grant_is(submitted, staff_user):
    assert not Notification.objects.filter(recipient=staff_user).exists()


def test_a_daily_digest_person_gets_one_e_mail_grouped_by_kind(committed):
    person = UserFactory(notification_email="daily")
    other = UserFactory()
    mail.outbox.clear()
    with committed():
        notify(kind=K.MESSAGE, recipients=[person, other], subject="Wiadomość A", body="a", url="/a/")
        notify(kind=K.REPORT, recipients=[person], subject="Sprawozdanie B", body="b", url="/b/")
        notify(kind=K.MESSAGE, recipients=[person], subject="Wiadomość C", body="c", url="/c/")
    assert mailed() == [other.email]  # the immediate one only
    mail.outbox.clear()
    with committed():
        assert digests_enqueue() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [person.email]
    body = mail.outbox[0].body
    assert "(3)" in mail.outbox[0].subject
    assert body.index("== Sprawozdanie (1) ==") < body.index("Sprawozdanie B")
    assert body.index("== Wiadomość (2) ==") < body.index("Wiadomość A") < body.index("Wiadomość C")
    mail.outbox.clear()
    with committed():
        assert digests_enqueue() == 0  # nothing waits any more: a second run sends nothing
    assert mail.outbox == []


def test_the_list_and_the_navigation_count_and_opening_marks_read(client_for, ngo_admin):
    notify(kind=K.MESSAGE, recipients=[ngo_admin], subject="Pierwsza sprawa", body="x", url="/konkursy/")
    notify(kind=K.REPORT, recipients=[ngo_admin], subject="Druga sprawa", body="y", url="https://zly.example.com/")
    client = client_for(ngo_admin)
    page = client.get(reverse("notifications:list")).content.decode()
    assert (
        "Pierwsza sprawa" in page
        and "Druga sprawa" in page
        and '2<span class="visually-hidden"> nieprzeczytanych' in page
    )
    first = Notification.objects.get(subject="Pierwsza sprawa")
    assert client.get(reverse("notifications:open", args=[first.pk]))["Location"] == "/konkursy/"
    second = Notification.objects.get(subject="Druga sprawa")
    # Never an open redirect, even if a URL from elsewhere got in.
    assert client.get(reverse("notifications:open", args=[second.pk]))["Location"] == reverse("notifications:list")
    ngo_admin.refresh_from_db()
    assert ngo_admin.unread_notifications == 0


def test_nobody_opens_anothers_notification(client_for, ngo_admin, other_ngo_admin):
    [note] = notify(kind=K.MESSAGE, recipients=[ngo_admin], subject="Moja", body="x", url="/")
    assert client_for(other_ngo_admin).get(reverse("notifications:open", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_the_preference_is_saved_and_used_for_the_next_notification(client_for, ngo_admin):
    response = client_for(ngo_admin).post(reverse("notifications:preferences"), {"email": "daily"})
    assert response.status_code == 302
    ngo_admin.refresh_from_db()
    assert ngo_admin.notification_email == "daily"
    [note] = notify(kind=K.MESSAGE, recipients=[ngo_admin], subject="x", body="x")
    assert note.email == Notification.Email.DIGEST


def test_inactive_members_are_not_told(organisation, ngo_admin):
    gone = MembershipFactory(organisation=organisation, role=Membership.Role.EDITOR, user__is_active=False).user
    from accounts.notifications.services import organisation_members

    assert set(organisation_members(organisation.pk)) == {ngo_admin}
    assert gone not in organisation_members(organisation.pk)


def test_a_reminder_key_tells_each_person_once(ngo_admin, committed):
    mail.outbox.clear()
    with committed():
        first = notify(kind=K.REMINDER, recipients=[ngo_admin], subject="R", body="r", key="x:1", emails=["a@b.pl"])
        again = notify(kind=K.REMINDER, recipients=[ngo_admin], subject="R", body="r", key="x:1")
    assert len(first) == 1 and again == []
    assert mailed() == [ngo_admin.email]


def test_results_tell_each_applicants_members(authority, decider, committed):
    from tests.grants.award_factories import call_ready_for_decision, decide_and_publish

    call, offers = call_ready_for_decision(authority, decider, offers=2)
    with committed():
        decide_and_publish(call, decider, [Decimal("1000.00"), None])
    told = recipients(K.RESULTS)
    for _offer, user in offers:
        assert user.email in told


def test_the_list_page_queries_do_not_grow(client_for, ngo_admin):
    from tests.helpers import assert_constant_queries

    client = client_for(ngo_admin)
    notify(kind=K.MESSAGE, recipients=[ngo_admin], subject="Pierwsza", body="x", url="/")

    def grow():
        for n in range(30):
            notify(kind=K.REPORT, recipients=[ngo_admin], subject=f"Sprawa {n}", body="x", url="/")

    assert_constant_queries(lambda: client.get(reverse("notifications:list")), grow, budget=8)


def test_the_home_pages_show_unread_notifications_and_open_requests(client_for, ngo_admin, staff_user):
    notify(kind=K.MESSAGE, recipients=[ngo_admin], subject="x", body="x")
    page = client_for(ngo_admin).get(reverse("accounts:ngo-home")).content.decode()
    assert "Nieprzeczytane powiadomienia: 1" in page and "Nieprzeczytane wiadomości: 0" in page
    page = client_for(staff_user).get(reverse("accounts:staff-home")).content.decode()
    assert "Nieprzeczytane powiadomienia: 0" in page
