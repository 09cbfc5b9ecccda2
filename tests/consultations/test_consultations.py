import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from consultations import services
from consultations.models import Consultation, ConsultationComment
from programmes.models import Programme
from tests.consultations.factories import make_consultation
from tests.helpers import pdf_text, squash
from tests.programmes.factories import ProgrammeFactory, warsaw

pytestmark = pytest.mark.django_db


def _comment(consultation, ngo_user, organisation, *, submit=True, text="Proponuję nowe brzmienie."):
    return services.comment_save(
        consultation=consultation,
        actor=ngo_user,
        organisation=organisation,
        provision=consultation.provisions.first(),
        proposed_wording=text,
        justification="Uzasadnienie.",
        submit=submit,
    )


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        (warsaw(2026, 10, 10, 23, 59, 59), False),  # a second before the start
        (warsaw(2026, 10, 11, 0, 0, 0), True),  # the first second
        (warsaw(2026, 10, 27, 23, 59, 59), True),  # the last second
        (warsaw(2026, 10, 28, 0, 0, 0), False),  # a second after the end
    ],
)
def test_comments_are_taken_only_within_the_period_to_the_second(
    authority, organisation, ngo_admin, time_machine, moment, accepted
):
    consultation = make_consultation(authority)
    time_machine.move_to(moment, tick=False)
    if accepted:
        comment = _comment(consultation, ngo_admin, organisation)
        assert comment.status == ConsultationComment.Status.SUBMITTED and comment.submitted_at == moment
    else:
        with pytest.raises(ValidationError) as error:
            _comment(consultation, ngo_admin, organisation)
        assert "od 11.10.2026 00:00 do 27.10.2026 23:59" in error.value.messages[0]
        assert not ConsultationComment.objects.exists()


def test_the_closed_form_keeps_what_was_typed_and_shows_the_dates(
    client_for, authority, organisation, ngo_admin, time_machine
):
    consultation = make_consultation(authority)
    time_machine.move_to(warsaw(2026, 10, 28, 0, 0, 0), tick=False)
    response = client_for(ngo_admin).post(
        reverse("consultations:comment-create", args=[consultation.pk]),
        {
            "organisation": organisation.pk,
            "provision": "",
            "proposed_wording": "Mój długi tekst uwagi",
            "justification": "Uzasadnienie",
            "submit": "",
        },
    )
    assert response.status_code == 200
    assert "Formularz uwag jest zamknięty" in response.text
    assert "Mój długi tekst uwagi" in response.text
    assert not ConsultationComment.objects.exists()


def test_only_members_comment_on_behalf_of_their_organisation(authority, organisation, other_ngo_admin, time_machine):
    consultation = make_consultation(authority)
    time_machine.move_to(warsaw(2026, 10, 12, 10, 0, 0), tick=False)
    with pytest.raises(ValidationError):
        _comment(consultation, other_ngo_admin, organisation)


def test_ngo_b_neither_sees_nor_edits_ngo_as_draft(
    client_for, authority, organisation, ngo_admin, ngo_editor, other_ngo_admin, time_machine
):
    consultation = make_consultation(authority)
    time_machine.move_to(warsaw(2026, 10, 12, 10, 0, 0), tick=False)
    draft = _comment(consultation, ngo_admin, organisation, submit=False, text="Tajny szkic stowarzyszenia")
    edit_url = reverse("consultations:comment-edit", args=[consultation.pk, draft.pk])
    other = client_for(other_ngo_admin)
    assert "Tajny szkic" not in other.get(reverse("consultations:detail", args=[consultation.pk])).text
    assert other.get(edit_url).status_code == 404
    assert (
        other.post(
            edit_url, {"organisation": organisation.pk, "proposed_wording": "X", "justification": "Y", "submit": ""}
        ).status_code
        == 404
    )
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.proposed_wording == "Tajny szkic stowarzyszenia"
    # The anonymous public and staff see no unsent draft either; a colleague from the same NGO does.
    assert "Tajny szkic" not in client_for(None).get(reverse("consultations:detail", args=[consultation.pk])).text
    assert "Tajny szkic" in client_for(ngo_editor).get(reverse("consultations:detail", args=[consultation.pk])).text
    assert client_for(ngo_editor).get(edit_url).status_code == 200


def test_a_draft_is_saved_then_submitted(client_for, authority, organisation, ngo_admin, time_machine):
    consultation = make_consultation(authority)
    time_machine.move_to(warsaw(2026, 10, 12, 10, 0, 0), tick=False)
    client = client_for(ngo_admin)
    provision = consultation.provisions.get(paragraph="2", section="1")
    data = {
        "organisation": organisation.pk,
        "provision": provision.pk,
        "proposed_wording": "Wersja 1",
        "justification": "Bo tak",
        "draft": "",
    }
    response = client.post(reverse("consultations:comment-create", args=[consultation.pk]), data)
    draft = ConsultationComment.objects.get()
    assert response.url == reverse("consultations:comment-edit", args=[consultation.pk, draft.pk])
    assert draft.status == "draft"
    data.update(proposed_wording="Wersja 2", submit="")
    data.pop("draft")
    client.post(response.url, data)
    draft.refresh_from_db()
    assert (draft.status, draft.proposed_wording, draft.provision) == ("submitted", "Wersja 2", provision)


def test_the_report_needs_a_position_on_every_comment(authority, organisation, ngo_admin, staff_user, time_machine):
    programme = ProgrammeFactory(authority=authority, status=Programme.Status.IN_CONSULTATION)
    consultation = make_consultation(authority, programme=programme)
    time_machine.move_to(warsaw(2026, 10, 12, 10, 0, 0), tick=False)
    first = _comment(consultation, ngo_admin, organisation)
    second = _comment(consultation, ngo_admin, organisation, text="Druga uwaga")
    with pytest.raises(ValidationError):
        services.consultation_close(consultation=consultation, actor=staff_user)  # still within the period
    time_machine.move_to(warsaw(2026, 10, 28, 8, 0, 0), tick=False)
    services.consultation_close(consultation=consultation, actor=staff_user)
    services.comment_respond(comment=first, decision="accepted", response="Uwzględniono.", actor=staff_user)
    with pytest.raises(ValidationError) as error:
        services.consultation_publish_report(consultation=consultation, summary="", actor=staff_user)
    assert "1 uwag(i) nie ma jeszcze stanowiska" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.comment_respond(comment=second, decision="rejected", response="  ", actor=staff_user)
    services.comment_respond(comment=second, decision="rejected", response="Niezgodne z ustawą.", actor=staff_user)
    services.consultation_publish_report(consultation=consultation, summary="Spotkanie 20.10.", actor=staff_user)
    consultation.refresh_from_db()
    programme.refresh_from_db()
    assert consultation.status == Consultation.Status.REPORTED and consultation.report_published_at
    assert programme.status == Programme.Status.CONSULTED


def test_the_public_report_page_and_pdf(client, authority, organisation, ngo_admin, staff_user, time_machine):
    consultation = make_consultation(authority)
    assert client.get(reverse("consultations:report", args=[consultation.pk])).status_code == 404
    time_machine.move_to(warsaw(2026, 10, 12, 10, 0, 0), tick=False)
    comment = _comment(consultation, ngo_admin, organisation, text="Dopisać zadania dla seniorów")
    time_machine.move_to(warsaw(2026, 10, 28, 8, 0, 0), tick=False)
    services.consultation_close(consultation=consultation, actor=staff_user)
    services.comment_respond(
        comment=comment, decision="partly", response="Częściowo – w miarę środków.", actor=staff_user
    )
    services.consultation_publish_report(consultation=consultation, summary="", actor=staff_user)
    page = client.get(reverse("consultations:report", args=[consultation.pk])).text
    assert "Dopisać zadania dla seniorów" in page and "uwzględniona częściowo" in page
    assert organisation.name in page and "Rozdział 1, § 1" in page
    pdf = client.get(reverse("consultations:report-pdf", args=[consultation.pk]))
    text = squash(pdf_text(pdf.content))
    assert "Sprawozdanie z konsultacji" in text
    assert "Dopisać zadania dla seniorów" in text and "Częściowo – w miarę środków." in text
    assert "od 11.10.2026 do 27.10.2026" in text


def test_staff_open_a_consultation_on_an_uploaded_draft(client_for, staff_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("projekt.txt", "§ 1. 1. Pierwszy ustęp.\n2. Drugi ustęp.".encode())
    response = client_for(staff_user).post(
        reverse("consultations:create"),
        {
            "title": "Projekt uchwały o inicjatywie lokalnej",
            "basis_resolution": "uchwała nr 1",
            "opening_order": "zarządzenie nr 2",
            "start_date": "2026-10-11",
            "end_date": "2026-10-27",
            "channels": "portal",
            "draft_file": upload,
        },
    )
    consultation = Consultation.objects.get()
    assert response.url == reverse("consultations:staff-detail", args=[consultation.pk])
    assert [p.label for p in consultation.provisions.all()] == ["§ 1 ust. 1", "§ 1 ust. 2"]
    assert consultation.ends_at == warsaw(2026, 10, 27, 23, 59, 59)


def test_a_binary_upload_is_refused_with_a_polish_message(client_for, staff_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(staff_user).post(
        reverse("consultations:create"),
        {
            "title": "Projekt",
            "basis_resolution": "u",
            "opening_order": "z",
            "start_date": "2026-10-11",
            "end_date": "2026-10-27",
            "channels": "portal",
            "draft_file": SimpleUploadedFile("projekt.pdf", b"%PDF-1.7\x00\x01binary"),
        },
    )
    assert response.context["form"].errors["draft_file"] == [
        "To nie jest plik tekstowy. Wklej treść projektu albo dodaj plik .txt."
    ]


@pytest.mark.parametrize("name", ["consultations:staff-detail"])
def test_staff_pages_are_closed_to_ngos(client_for, authority, ngo_admin, name):
    consultation = make_consultation(authority)
    assert client_for(ngo_admin).get(reverse(name, args=[consultation.pk])).status_code == 403
    assert (
        client_for(ngo_admin).post(reverse("consultations:transition", args=[consultation.pk, "zamknij"])).status_code
        == 403
    )


def test_draft_consultations_are_not_public(client, authority):
    consultation = make_consultation(authority, status=Consultation.Status.DRAFT)
    assert client.get(reverse("consultations:detail", args=[consultation.pk])).status_code == 404
