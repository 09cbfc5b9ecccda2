"""Local initiative (art. 19b–19h) through the services: the statute's rules refused before the act."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from grants.models import LocalInitiativeAgreement, LocalInitiativeRequest
from grants.services import local_initiative as li
from grants.snapshot import checksum
from tests.accounts.factories import UserFactory
from tests.grants.local_initiative_factories import (
    CRITERIA,
    adopt_rules,
    make_agreement,
    make_request,
    reserve_line,
    score_all,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident(db):
    return UserFactory(email="mieszkanka@example.pl", first_name="Anna", last_name="Sąsiedzka")


@pytest.fixture
def rules(authority, staff_user):
    return adopt_rules(authority, staff_user)


def test_criteria_without_social_work_are_refused(authority, staff_user):
    criteria = [{**c, "is_social_work": False} for c in CRITERIA]
    with pytest.raises(ValidationError) as error:
        adopt_rules(authority, staff_user, criteria=criteria)
    assert "wkład pracy społecznej" in error.value.message_dict["criteria"][0]
    assert not authority.local_initiative_rules.exists()


def test_social_work_must_weigh_at_least_as_much_as_any_other_criterion(authority, staff_user):
    criteria = [
        {**CRITERIA[0], "weight": Decimal("30")},
        {**CRITERIA[1], "weight": Decimal("50")},
        {**CRITERIA[2], "weight": Decimal("20")},
    ]
    with pytest.raises(ValidationError) as error:
        adopt_rules(authority, staff_user, criteria=criteria)
    assert "przede wszystkim" in error.value.message_dict["criteria"][0]


def test_weights_must_sum_to_100(authority, staff_user):
    criteria = [{**CRITERIA[0], "weight": Decimal("60")}, CRITERIA[1], CRITERIA[2]]
    with pytest.raises(ValidationError) as error:
        adopt_rules(authority, staff_user, criteria=criteria)
    assert "110%" in error.value.message_dict["criteria"][0]


def test_rules_with_social_work_are_recorded(rules):
    assert [c.is_social_work for c in rules.criteria.all()] == [True, False, False]


def test_a_request_outside_the_art_19b_areas_is_refused(authority, rules, resident):
    # Art. 4 ust. 1 pkt 6 (health) is not among the spheres of art. 19b ust. 1.
    with pytest.raises(ValidationError) as error:
        make_request(authority, resident, area_code="6")
    assert "art. 19b ust. 1" in error.value.message_dict["task_area"][0]
    assert not LocalInitiativeRequest.objects.filter(task_area__code="6").exists()


@pytest.mark.parametrize("code", ["13", "3", "4", "5", "16", "27", "14", "17", "19", "18", "20", "32a"])
def test_every_art_19b_area_is_accepted(authority, rules, resident, code):
    li_request = make_request(authority, resident, area_code=code)
    assert li_request.status == LocalInitiativeRequest.Status.SUBMITTED


def test_allowed_areas_are_exactly_the_twelve_of_art_19b():
    assert sorted(li.allowed_task_areas().values_list("code", flat=True)) == sorted(
        ["13", "3", "4", "5", "16", "27", "14", "17", "19", "18", "20", "32a"]
    )


def test_submission_freezes_the_data_with_checksum_and_receipt(authority, rules, resident, committed):
    with committed():
        li_request = make_request(authority, resident)
    assert li_request.receipt_number.startswith("IL/")
    assert li_request.sha256 == checksum(li_request.submitted_data)
    assert li_request.submitted_data["supporters"][0]["full_name"] == "Jan Lipowy"
    assert li_request.rules == rules
    # Social work valued at the rate the council set: 240 h × 30 zł.
    assert li_request.social_work_value == Decimal("7200.00")
    assert li_request.residents_contribution == Decimal("9200.00")
    assert [m.subject for m in mail.outbox] == ["Potwierdzenie złożenia wniosku o inicjatywę lokalną"]
    assert "anna@example.pl" in mail.outbox[0].to


def test_submitting_the_same_revision_twice_gives_one_receipt(authority, rules, resident):
    li_request = make_request(authority, resident, submit=False)
    first = li.request_submit(li_request=li_request, actor=resident, revision=li_request.revision)
    again = li.request_submit(li_request=li_request, actor=resident, revision=li_request.revision)
    assert (first.receipt_number, first.submission_count) == (again.receipt_number, 1)


def test_no_submission_before_the_council_sets_the_rules(authority, resident):
    li_request = make_request(authority, resident, submit=False)
    with pytest.raises(ValidationError) as error:
        li.request_submit(li_request=li_request, actor=resident, revision=li_request.revision)
    assert "art. 19c ust. 1" in str(error.value)


def test_a_group_needs_the_council_minimum_of_supporters(authority, staff_user, resident):
    adopt_rules(authority, staff_user, min_residents=3)
    li_request = make_request(authority, resident, submit=False)
    with pytest.raises(ValidationError) as error:
        li.request_submit(li_request=li_request, actor=resident, revision=li_request.revision)
    assert "co najmniej 3" in error.value.message_dict["supporters"][0]


def test_completion_request_reopens_the_request_for_editing(authority, rules, resident, staff_user):
    li_request = make_request(authority, resident)
    li.request_ask_completion(li_request=li_request, actor=staff_user, note="Dołącz zgodę zarządcy terenu.")
    li_request.refresh_from_db()
    li.request_save(
        li_request=li_request,
        actor=resident,
        data={"place": "skwer, działka 12/3"},
        supporters=[
            {"full_name": "Jan Lipowy", "address": "ul. Lipowa 5", "consent": True},
            {"full_name": "Ewa Lipowa", "address": "ul. Lipowa 7", "consent": True},
        ],
    )
    li_request.refresh_from_db()
    li.request_submit(li_request=li_request, actor=resident, revision=li_request.revision)
    li_request.refresh_from_db()
    assert (li_request.status, li_request.submission_count) == ("submitted", 2)
    assert li_request.receipt_number.endswith("/2")


def test_scores_stay_within_each_criterion_scale_and_need_justification(authority, rules, resident, staff_user):
    li_request = make_request(authority, resident)
    criteria = list(rules.criteria.all())
    with pytest.raises(ValidationError) as error:
        li.request_score(
            li_request=li_request,
            actor=staff_user,
            scores={
                criteria[0].pk: (Decimal("11"), "x"),
                criteria[1].pk: (Decimal("5"), ""),
                criteria[2].pk: (Decimal("1"), "x"),
            },
        )
    assert "od 0 do 10" in error.value.message_dict[f"points_{criteria[0].pk}"][0]
    assert f"justification_{criteria[1].pk}" in error.value.message_dict


def test_weighted_score_is_out_of_100(authority, rules, resident, staff_user):
    li_request = make_request(authority, resident)
    score_all(li_request, staff_user, points=[10, 5, 0])
    li_request.refresh_from_db()
    assert li_request.weighted_score == Decimal("65.00")  # 50 + 15 + 0


def test_only_a_decider_accepts_and_only_after_scoring(authority, rules, resident, staff_user, decider, committed):
    li_request = make_request(authority, resident)
    with pytest.raises(ValidationError):
        li.request_decide(li_request=li_request, actor=decider, accept=True, reasons="Celowe.")
    score_all(li_request, staff_user)
    with pytest.raises(ValidationError):
        li.request_decide(li_request=li_request, actor=staff_user, accept=True, reasons="Celowe.")
    with committed():
        li.request_decide(li_request=li_request, actor=decider, accept=False, reasons="Brak zgody zarządcy terenu.")
    li_request.refresh_from_db()
    assert li_request.status == "refused"
    assert mail.outbox[-1].subject == "Wniosek o inicjatywę lokalną nieprzyjęty"
    assert "Brak zgody zarządcy terenu." in mail.outbox[-1].body


def test_agreement_cap_must_fit_the_reserve(authority, rules, resident, staff_user, decider):
    line = reserve_line(authority, staff_user, amount="10000.00")
    make_agreement(authority, staff_user, decider, resident, line, cap="9000.00")
    with pytest.raises(ValidationError) as error:
        make_agreement(authority, staff_user, decider, resident, line, cap="1000.01")
    assert "1\xa0000,00" in error.value.message_dict["spending_cap"][0]


def test_spending_above_the_cap_is_refused(authority, rules, resident, staff_user, decider):
    line = reserve_line(authority, staff_user)
    agreement = make_agreement(authority, staff_user, decider, resident, line, cap="9000.00")
    kwargs = {
        "agreement": agreement,
        "actor": staff_user,
        "spent_on_day": date(2026, 5, 10),
        "supplier": "Ogrody sp. z o.o.",
    }
    li.expense_record(document="FV 1/2026", description="sadzonki", amount=Decimal("8999.99"), **kwargs)
    li.expense_record(document="FV 2/2026", description="ziemia", amount=Decimal("0.01"), **kwargs)
    with pytest.raises(ValidationError) as error:
        li.expense_record(document="FV 3/2026", description="ławka", amount=Decimal("0.01"), **kwargs)
    assert "przekracza limit umowy" in error.value.message_dict["amount"][0]
    assert li.spent_on(agreement) == Decimal("9000.00")


def test_no_spending_on_an_unsigned_agreement(authority, rules, resident, staff_user, decider):
    line = reserve_line(authority, staff_user)
    agreement = make_agreement(authority, staff_user, decider, resident, line, sign=False)
    with pytest.raises(ValidationError):
        li.expense_record(
            agreement=agreement,
            actor=staff_user,
            spent_on_day=date(2026, 5, 10),
            document="FV",
            supplier="X",
            description="Y",
            amount=Decimal("1"),
        )


def test_annex_cannot_lower_the_cap_below_spending(authority, rules, resident, staff_user, decider):
    line = reserve_line(authority, staff_user)
    agreement = make_agreement(authority, staff_user, decider, resident, line, cap="9000.00")
    li.expense_record(
        agreement=agreement,
        actor=staff_user,
        spent_on_day=date(2026, 5, 10),
        document="FV 1",
        supplier="X",
        description="Y",
        amount=Decimal("5000"),
    )
    with pytest.raises(ValidationError):
        li.agreement_annex(
            agreement=agreement,
            actor=decider,
            signed_on=date(2026, 6, 1),
            description="Mniej.",
            new_spending_cap=Decimal("4999.99"),
        )
    annex = li.agreement_annex(
        agreement=agreement,
        actor=decider,
        signed_on=date(2026, 6, 1),
        description="Dłużej i więcej.",
        new_end_date=date(2026, 10, 31),
        new_spending_cap=Decimal("9500"),
    )
    agreement.refresh_from_db()
    assert (annex.number, agreement.spending_cap, agreement.end_date) == (1, Decimal("9500.00"), date(2026, 10, 31))


def test_report_accepted_completes_the_initiative(authority, rules, resident, staff_user, decider, committed):
    line = reserve_line(authority, staff_user)
    agreement = make_agreement(authority, staff_user, decider, resident, line)
    other = UserFactory()
    data = {
        "social_work_hours": Decimal("260"),
        "volunteers": 14,
        "in_kind_value": Decimal("1500"),
        "financial_value": Decimal("500"),
        "results": "Skwer urządzony.",
    }
    with pytest.raises(ValidationError):
        li.report_submit(agreement=agreement, actor=other, data=data)
    report = li.report_submit(agreement=agreement, actor=resident, data=data)
    li.report_review(report=report, actor=staff_user, accept=False, note="Dołącz zdjęcia.")
    report = li.report_submit(
        agreement=agreement, actor=resident, data={**data, "results": "Skwer urządzony (zdjęcia)."}
    )
    with committed():
        li.report_review(report=report, actor=staff_user, accept=True)
    agreement.refresh_from_db()
    assert agreement.status == LocalInitiativeAgreement.Status.COMPLETED
    assert mail.outbox[-1].subject == "Sprawozdanie z inicjatywy lokalnej przyjęte"


def test_an_organisation_applies_in_its_name(authority, rules, ngo_admin, organisation, plain_user):
    with pytest.raises(ValidationError):
        li.request_create(
            authority=authority, actor=plain_user, applicant_kind="organisation", organisation=organisation
        )
    li_request = li.request_create(
        authority=authority, actor=ngo_admin, applicant_kind="organisation", organisation=organisation
    )
    assert li_request.organisation == organisation
    assert li_request.applicant_label == organisation.name
