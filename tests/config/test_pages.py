import pytest
from django.core.management import call_command
from django.urls import reverse

from organisations.models import PublicTaskArea

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "accessibility",
        "privacy",
        "accounts:login",
        "accounts:sign-up",
        "accounts:password-reset",
        "organisations:directory",
    ],
)
def test_public_pages_are_polish_and_open_without_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert '<html lang="pl">' in response.text
    assert 'href="#tresc"' in response.text and '<main id="tresc"' in response.text


def test_the_accessibility_statement_names_the_law(client):
    assert "ustawą z dnia 4 kwietnia 2019 r. o dostępności cyfrowej" in client.get(reverse("accessibility")).text


def test_security_headers(client):
    response = client.get(reverse("home"))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_public_task_areas_are_the_41_of_art_4_in_statutory_order():
    codes = list(PublicTaskArea.objects.values_list("code", flat=True))
    assert len(codes) == 41
    assert codes[:6] == ["1", "1a", "1aa", "1b", "2", "3"]
    assert codes.index("22a") == codes.index("22") + 1
    assert codes[-1] == "34"
    assert PublicTaskArea.objects.get(code="17").text == "wspierania i upowszechniania kultury fizycznej;"


@pytest.mark.django_db(transaction=True)
def test_the_task_area_migration_is_reversible():
    try:
        call_command("migrate", "organisations", "0001", verbosity=0)
        assert PublicTaskArea.objects.count() == 0
    finally:
        # Forward again for every app (going back also unapplied the apps that depend on the areas), even when the
        # assertion fails: the next tests in this process need the whole schema.
        call_command("migrate", verbosity=0)
    assert PublicTaskArea.objects.count() == 41


def test_staff_home_greets_staff_with_the_verification_queue(client_for, staff_user, organisation, authority):
    organisation.city = authority.city  # the queue holds the organisations of the staff's authority only
    organisation.save()
    response = client_for(staff_user).get(reverse("accounts:home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:staff-home")
    assert "Oczekują na weryfikację" in response.text and organisation.name in response.text


def test_ngo_home_lists_the_persons_organisations(client_for, ngo_admin, organisation):
    response = client_for(ngo_admin).get(reverse("accounts:home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:ngo-home")
    assert organisation.name in response.text and "administrator" in response.text


def test_seed_demo_is_idempotent_and_builds_bialystoks_mix():
    from django.db.models import Count

    from accounts.models import User
    from organisations.models import Organisation

    call_command("seed_demo", "--scale", "city", verbosity=0)
    call_command("seed_demo", "--scale", "city", verbosity=0)
    call_command("seed_demo", "--scale", "small", verbosity=0)
    by_form = dict(Organisation.objects.values_list("legal_form").annotate(n=Count("id")))
    # S3: 161 foundations, 493 associations (+ the demo login's own), 144 branches, 45 ordinary, 195 sports.
    assert by_form == {
        "foundation": 161,
        "association": 494,
        "association_branch": 144,
        "ordinary_association": 45,
        "sports_club": 195,
    }
    assert Organisation.objects.filter(is_opp=True).count() == 104
    assert User.objects.filter(email="ngo.admin@portal.example.pl", memberships__role="admin").exists()
    for organisation in Organisation.objects.order_by("?")[:50]:
        organisation.full_clean()

    # Calls and offers at city scale (quality.md): 40 calls, about 1 500 offers, all consistent.
    from grants.checks import offer_problems
    from grants.models import Offer, OfferVersion, OpenCall
    from grants.services.calls import budget_line_remaining
    from grants.snapshot import checksum
    from programmes.models import BudgetLine

    assert OpenCall.objects.count() == 40
    call_offers = Offer.objects.filter(kind=Offer.Kind.OPEN_CALL)
    assert 1400 <= call_offers.count() <= 1600
    assert all(budget_line_remaining(line) >= 0 for line in BudgetLine.objects.all())
    for version in OfferVersion.objects.order_by("?")[:30]:
        assert version.sha256 == checksum(version.data)
    for offer in call_offers.select_related("call", "organisation").order_by("?")[:30]:
        assert offer_problems(offer) == {}

    # Decided calls: awards within each call's funds, and the closed year's agreements (about 600 with 19a).
    from django.db.models import Sum

    from grants.models import Agreement, Award

    for call in OpenCall.objects.filter(results_published_at__isnull=False).with_funds():
        granted = call.awards.filter(status=Award.Status.GRANTED).aggregate(total=Sum("amount"))["total"]
        assert granted <= call.funds_total
    assert Agreement.objects.count() >= 450
    for agreement in Agreement.objects.order_by("?")[:20]:
        assert agreement.cost_lines.aggregate(total=Sum("from_grant"))["total"] == agreement.grant_amount
