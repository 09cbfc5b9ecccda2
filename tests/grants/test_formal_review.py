"""Formal review follows its checklist: a pass needs every item confirmed (or a reason for each that is not), a
rejection or defect notice needs the failing items; the page asks to confirm before anything is saved or sent."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from grants.models import FormalReview, Offer, OpenCall
from grants.services import offers as services
from tests.grants.factories import OpenCallFactory, complete_offer

pytestmark = pytest.mark.django_db


@pytest.fixture
def offer(authority, organisation, ngo_admin):
    call = OpenCallFactory(programme__authority=authority)
    offer = complete_offer(call, organisation, ngo_admin)
    services.offer_submit(offer=offer, actor=ngo_admin, revision=offer.revision)
    OpenCall.objects.filter(pk=call.pk).update(status=OpenCall.Status.FORMAL_REVIEW)
    return Offer.objects.get(pk=offer.pk)


def test_a_pass_with_an_unticked_item_is_refused(offer, staff_user):
    checklist = FormalReview.all_confirmed() | {"attachments": False}
    with pytest.raises(ValidationError) as error:
        services.formal_review_decide(offer=offer, actor=staff_user, checklist=checklist, outcome="passed", reasons="")
    assert list(error.value.error_dict) == ["note_attachments"]
    offer.refresh_from_db()
    assert offer.status == Offer.Status.SUBMITTED and not offer.formal_reviews.exists()


def test_a_pass_with_a_reason_for_the_unticked_item_is_recorded(offer, staff_user):
    review = services.formal_review_decide(
        offer=offer,
        actor=staff_user,
        checklist=FormalReview.all_confirmed() | {"attachments": False},
        unconfirmed_reasons={"attachments": "Ogłoszenie nie wymaga załączników.", "on_time": "ignorowane"},
        outcome="passed",
        reasons="",
    )
    assert review.unconfirmed_reasons == {"attachments": "Ogłoszenie nie wymaga załączników."}
    assert review.checklist["attachments"] is False and review.checklist["on_time"] is True


@pytest.mark.parametrize("outcome", ["rejected", "defects"])
def test_a_rejection_or_defect_notice_needs_the_failing_items(offer, staff_user, outcome):
    with pytest.raises(ValidationError) as error:
        services.formal_review_decide(
            offer=offer,
            actor=staff_user,
            checklist=FormalReview.all_confirmed(),
            outcome=outcome,
            reasons="Brak statutu.",
            deadline=timezone.now() + timedelta(days=7),
        )
    assert "outcome" in error.value.error_dict


def test_the_page_asks_to_confirm_then_saves_and_mails(client_for, offer, staff_user, mailoutbox, committed):
    client = client_for(staff_user)
    url = reverse("grants:offer-review", args=[offer.pk])
    data = {"outcome": "passed"} | {f"check_{key}": "on" for key, _label in FormalReview.CHECKLIST}
    data.pop("check_on_time")
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "Potwierdź ten warunek albo podaj" in refused.content.decode()
    data["note_on_time"] = "Złożona w dniu terminu przez ePUAP – data nadania."
    asking = client.post(url, data)
    page = asking.content.decode()
    assert "Potwierdzam: zapisz wynik oceny formalnej" in page
    assert "otrzyma status „poprawna formalnie”" in page
    assert offer.organisation.name in page and not offer.formal_reviews.exists()
    back = client.post(url, data | {"potwierdzenie": "0"})
    assert back.status_code == 200 and not offer.formal_reviews.exists()
    assert "Złożona w dniu terminu przez ePUAP" in back.content.decode()
    with committed():
        done = client.post(url, data | {"potwierdzenie": "1"})
    assert done.status_code == 302
    review = offer.formal_reviews.get()
    assert review.unconfirmed_reasons == {"on_time": "Złożona w dniu terminu przez ePUAP – data nadania."}
    # The member who acts for the organisation (notification + e-mail) and the offer's own mailboxes (one e-mail).
    assert [m.to for m in mailoutbox] == [[offer.created_by.email], sorted(offer.recipients)]
