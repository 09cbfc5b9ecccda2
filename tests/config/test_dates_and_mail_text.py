"""Dates people type stay within sane bounds; plain-text e-mails are not HTML-escaped."""

from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.models import User
from config.forms import PlausibleDateField, validate_plausible_date
from grants.forms.awards import AnnexForm, SignForm, TerminateForm
from grants.forms.grant_reports import ControlPlanForm, PartialRequestForm
from grants.models import Agreement
from tests.grants.agreement_factories import make_agreement

MESSAGE = "Podaj datę od 01.01.2000 do 15.06.2036."


@pytest.fixture
def today(time_machine):
    time_machine.move_to("2026-06-15 12:00:00+02:00", tick=False)
    return date(2026, 6, 15)


@pytest.mark.parametrize("typed", ["0001-01-01", "1999-12-31", "2036-06-16", "9999-12-31"])
def test_implausible_dates_are_refused_with_a_polish_message(today, typed):
    field = PlausibleDateField()
    with pytest.raises(Exception) as caught:
        field.clean(typed)
    assert caught.value.messages == [MESSAGE]


@pytest.mark.parametrize("typed", ["2000-01-01", "2026-06-15", "2036-06-15"])
def test_the_bounds_themselves_are_accepted(today, typed):
    assert PlausibleDateField().clean(typed) == date.fromisoformat(typed)
    validate_plausible_date(date.fromisoformat(typed))


@pytest.mark.parametrize(
    ("form_class", "data", "field"),
    [
        (SignForm, {}, "signed_on"),
        (AnnexForm, {"subject": "Zmiana harmonogramu"}, "signed_on"),
        (TerminateForm, {"reason": "Porozumienie stron"}, "terminated_on"),
        (PartialRequestForm, {"partial-days": "30"}, "period_to"),
        (ControlPlanForm, {"year": "2026"}, "adopted_on"),
    ],
)
def test_signature_annex_and_report_dates_have_the_bounds(db, today, form_class, data, field):
    prefix = "partial-" if form_class is PartialRequestForm else ""
    kwargs = {"prefix": "partial"} if prefix else {}
    for typed in ("0001-01-01", "9999-12-31"):
        form = form_class({**data, f"{prefix}{field}": typed}, **kwargs)
        assert not form.is_valid()
        assert form.errors[field] == [MESSAGE]
    form = form_class({**data, f"{prefix}{field}": "2026-05-31"}, **kwargs)
    assert field not in form.errors


@pytest.mark.django_db
def test_signing_an_agreement_in_year_one_is_refused(today, organisation, staff_user, client_for):
    agreement = make_agreement(
        organisation=organisation, status=Agreement.Status.DRAFT, authority=staff_user.staff_roles.get().authority
    )
    response = client_for(staff_user).post(
        reverse("grants:agreement-action", args=[agreement.pk, "podpisanie"]), {"signed_on": "0001-01-01"}, follow=True
    )
    assert MESSAGE in response.text
    agreement.refresh_from_db()
    assert agreement.signed_on is None and agreement.status == Agreement.Status.DRAFT


def _mail_templates():
    root = Path(settings.BASE_DIR) / "templates"
    return sorted(p for p in root.rglob("*.txt") if "email" in p.parts)


def test_every_plain_text_mail_template_turns_html_escaping_off():
    templates = _mail_templates()
    assert len(templates) > 30
    for path in templates:
        text = path.read_text()
        assert text.startswith("{% autoescape off %}"), path
        assert text.rstrip().endswith("{% endautoescape %}"), path


@pytest.mark.django_db
def test_quotes_and_ampersands_reach_the_mail_as_typed(client, mailoutbox, committed):
    with committed():
        client.post(
            reverse("accounts:sign-up"),
            {
                "first_name": 'Anna "Ania" & <Co>',
                "last_name": "O'Brien",
                "email": "anna@example.pl",
                "password1": "Odra-nad-Kozlem-1",
                "password2": "Odra-nad-Kozlem-1",
                "privacy_accepted": "on",
            },
        )
    assert User.objects.filter(email="anna@example.pl").exists()
    body = mailoutbox[0].body
    assert 'Dzień dobry Anna "Ania" & <Co>,' in body
    assert "&quot;" not in body and "&amp;" not in body and "&lt;" not in body
