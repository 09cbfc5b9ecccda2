from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.grants.agreement_factories import make_agreement


@pytest.mark.django_db
def test_reminder_command_e_mails_organisations_with_late_reports(
    organisation, ngo_admin, mailoutbox, capsys, committed, settings
):
    settings.SITE_URL = "https://ngo.example.pl"
    today = timezone.localdate()
    make_agreement(organisation=organisation, start=today - timedelta(days=90), end=today - timedelta(days=40))
    make_agreement(organisation=organisation, start=today - timedelta(days=10), end=today + timedelta(days=60))
    with committed():
        call_command("grant_report_reminders")
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [ngo_admin.email]
    assert "Minął termin" in mailoutbox[0].subject
    assert "https://ngo.example.pl/" in mailoutbox[0].body  # the link to the report, even outside a request
    assert "Wysłano przypomnień: 1." in capsys.readouterr().out


@pytest.mark.django_db
def test_annual_report_command_refuses_an_unknown_programme(tmp_path):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("annual_report", "--programme", "999999", "--output", str(tmp_path / "x.pdf"))
