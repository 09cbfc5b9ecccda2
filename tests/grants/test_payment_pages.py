"""The payment pages through HTTP: agreement page, list with batch, CSV / XLSX exports, import with preview."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from grants.models import Agreement, Tranche
from programmes.models import Programme
from tests.grants.agreement_factories import make_agreement
from tests.grants.factories import OpenCallFactory
from tests.helpers import assert_constant_queries, squash
from tests.organisations.factories import OrganisationFactory
from tests.programmes.factories import ProgrammeFactory

D = Decimal
pytestmark = pytest.mark.django_db
LIST = reverse("grants:payment-list")
IMPORT = reverse("grants:payment-import")


@pytest.fixture
def call(authority):
    programme = ProgrammeFactory(authority=authority, year_from=2025, status=Programme.Status.IN_FORCE)
    return OpenCallFactory(programme=programme, number="OK/2025/7")


def _agreements(call, count, organisation=None):
    made = []
    for _ in range(count):
        org = organisation or OrganisationFactory(name='=HYPERLINK("http://zly.example")')
        made.append(make_agreement(organisation=org, call=call, tranches=[("6000.00", None), ("4000.00", None)]))
    return made


def test_staff_record_a_transfer_on_the_agreement_page_and_the_ngo_sees_it(
    client_for, staff_user, ngo_admin, organisation, call
):
    (agreement,) = _agreements(call, 1, organisation)
    first = agreement.tranches.get(number=1)
    url = reverse("grants:tranche-pay", args=[first.pk])
    client = client_for(staff_user)
    prefix = f"t{first.pk}"
    # A wrong amount is refused on the amount field, and the date and title typed stay on the page.
    response = client.post(
        url, {f"{prefix}-paid_on": "2025-03-03", f"{prefix}-amount": "5 999,99", f"{prefix}-transfer_title": "Tytuł X"}
    )
    html = squash(response.content.decode())
    assert response.status_code == 200
    assert "różni się od kwoty transzy nr 1 (6\xa0000,00\xa0zł)" in html
    assert 'value="2025-03-03"' in html and 'value="Tytuł X"' in html
    first.refresh_from_db()
    assert first.paid_on is None
    response = client.post(
        url, {f"{prefix}-paid_on": "2025-03-03", f"{prefix}-amount": "6 000,00", f"{prefix}-transfer_title": ""}
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.paid_on == date(2025, 3, 3)
    html = squash(client_for(ngo_admin).get(reverse("grants:agreement-detail", args=[agreement.pk])).content.decode())
    assert "Przekazano 6\xa0000,00\xa0zł z 10\xa0000,00\xa0zł dotacji." in html
    assert "przekazano</span> 03.03.2025" in html
    assert "Zapisz przelew" not in html  # the NGO records nothing


def test_ngo_and_other_offices_cannot_reach_the_payment_pages(client_for, ngo_admin, call, staff_user):
    (agreement,) = _agreements(call, 1)
    tranche = agreement.tranches.first()
    for path in (LIST, IMPORT, reverse("grants:payments-csv"), reverse("grants:payments-xlsx")):
        assert client_for(ngo_admin).get(path).status_code == 403
    assert client_for(ngo_admin).post(reverse("grants:tranche-pay", args=[tranche.pk])).status_code == 403
    from tests.accounts.factories import AuthorityFactory, AuthorityStaffFactory

    stranger = AuthorityStaffFactory(authority=AuthorityFactory(name="Gmina Inna", slug="inna")).user
    assert client_for(stranger).post(reverse("grants:tranche-pay", args=[tranche.pk])).status_code == 404
    assert agreement.number not in client_for(stranger).get(LIST).content.decode()


def test_payment_list_queries_do_not_grow_with_the_tranches(client_for, staff_user, call):
    _agreements(call, 2)
    client = client_for(staff_user)
    # The page's ids with the list's length, then its rows (config/pagination.py), at any length. Session, user,
    # roles; ids, rows; the calls of the filter (the authority filter is not read for someone who manages one
    # authority).
    assert assert_constant_queries(lambda: client.get(LIST), lambda: _agreements(call, 6), budget=6) == 6
    filtered = LIST + "?status=&call=" + str(call.pk)
    assert assert_constant_queries(lambda: client.get(filtered), lambda: _agreements(call, 3), budget=7) == 7


def test_batch_records_ticked_tranches_on_one_day_or_none(client_for, staff_user, call):
    agreements = _agreements(call, 2)
    tranches = [a.tranches.get(number=1) for a in agreements]
    client = client_for(staff_user)
    # One of the agreements was terminated in the meantime: the batch saves nothing and says which.
    Agreement.objects.filter(pk=agreements[1].pk).update(status=Agreement.Status.TERMINATED)
    response = client.post(LIST, {"paid_on": "2025-03-10", "tranches": [t.pk for t in tranches]})
    assert response.status_code == 200
    assert f"Umowa nr {agreements[1].number}, transza 1: Umowa nr {agreements[1].number} została rozwiązana" in (
        response.content.decode()
    )
    assert not Tranche.objects.paid().exists()
    Agreement.objects.filter(pk=agreements[1].pk).update(status=Agreement.Status.SIGNED)
    response = client.post(LIST, {"paid_on": "2025-03-10", "tranches": [t.pk for t in tranches]}, follow=True)
    assert "Zapisano 2 przelewy na łączną kwotę 12\xa0000,00\xa0zł." in response.content.decode()
    assert Tranche.objects.filter(paid_on=date(2025, 3, 10)).count() == 2
    # The list of what is still due no longer shows them.
    html = client.get(LIST).content.decode()
    assert f'name="tranches" value="{tranches[0].pk}"' not in html
    assert f'name="tranches" value="{tranches[0].pk + 1}"' in html  # its second tranche is still due


def test_exports_are_inert_and_numeric(client_for, staff_user, call):
    (agreement,) = _agreements(call, 1)
    client = client_for(staff_user)
    csv = b"".join(client.get(reverse("grants:payments-csv")).streaming_content).decode()
    assert csv.startswith("\ufeffNumer umowy;Nr transzy;")
    assert f'{agreement.number};1;"\'=HYPERLINK(""http://zly.example"")";' in csv
    assert ";6000,00;01.03.2025;" in csv
    response = client.get(reverse("grants:payments-xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = [cell for cell in sheet[2]]
    assert row[0].value == agreement.number
    assert row[2].value == '\'=HYPERLINK("http://zly.example")' and row[2].data_type == "s"
    assert row[4].value == 6000 and row[4].data_type == "n" and row[4].number_format == '#,##0.00\\ "zł"'
    assert row[5].number_format == "DD.MM.YYYY"


def _upload(client, text: str):
    return client.post(IMPORT, {"file": SimpleUploadedFile("przelewy.csv", text.encode("utf-8"))})


def test_import_preview_shows_matched_and_unmatched_and_one_wrong_amount_saves_nothing(client_for, staff_user, call):
    a, b = _agreements(call, 2)
    client = client_for(staff_user)
    text = (
        "Numer umowy;Nr transzy;Kwota;Data przekazania\n"
        f"{a.number};1;6 000,00;05.03.2025\n"
        f"{b.number};1;6000.01;05.03.2025\n"
        f"{b.number};9;1,00;05.03.2025\n"
    )
    html = squash(_upload(client, text).content.decode())
    assert "Dopasowane: <strong>1</strong>" in html and "niedopasowane lub błędne: <strong>2</strong>" in html
    assert "Kwota przelewu (6\xa0000,01\xa0zł) różni się od kwoty transzy nr 1" in html
    assert f"Nie znaleziono transzy nr 9 umowy nr {b.number}." in html
    assert 'name="action" value="save"' not in html
    # Forcing the save with the same content saves nothing either.
    client.post(IMPORT, {"action": "save", "content": text})
    assert not Tranche.objects.paid().exists()
    good = text.replace("6000.01", "6000,00").replace(f"{b.number};9;1,00;05.03.2025\n", "")
    html = squash(_upload(client, good).content.decode())
    assert "Dopasowane: <strong>2</strong> (razem 12\xa0000,00\xa0zł)" in html
    response = client.post(IMPORT, {"action": "save", "content": good}, follow=True)
    assert "Zaimportowano 2 przelewy na łączną kwotę 12\xa0000,00\xa0zł." in response.content.decode()
    assert Tranche.objects.filter(paid_on=date(2025, 3, 5)).count() == 2
    # The same file again: nothing new, nothing wrong.
    html = squash(_upload(client, good).content.decode())
    assert "już zapisane wcześniej (pominięte): <strong>2</strong>" in html


def test_import_reads_our_own_export_back(client_for, staff_user, call):
    (agreement,) = _agreements(call, 1)
    client = client_for(staff_user)
    csv = b"".join(client.get(reverse("grants:payments-csv")).streaming_content).decode()
    lines = csv.splitlines()
    filled = [lines[0]] + [line.replace(";;Dotacja", ";07.03.2025;Dotacja") for line in lines[1:]]
    html = squash(_upload(client, "\n".join(filled)).content.decode())
    assert "Dopasowane: <strong>2</strong> (razem 10\xa0000,00\xa0zł)" in html


def test_import_preview_queries_do_not_grow_with_the_rows(client_for, staff_user, call):
    agreements = _agreements(call, 2)
    client = client_for(staff_user)

    def text():
        rows = [f"{a.number};{t.number};{t.amount};05.03.2025" for a in agreements for t in a.tranches.all()]
        return "Numer umowy;Nr transzy;Kwota;Data\n" + "\n".join(rows)

    state = {"text": text()}

    def grow():
        agreements.extend(_agreements(call, 6))
        state["text"] = text()

    assert_constant_queries(lambda: _upload(client, state["text"]), grow, budget=5)


def test_import_refuses_an_unreadable_file_with_a_clear_message(client_for, staff_user, call):
    html = _upload(client_for(staff_user), "coś;tam\nnic;tu\n").content.decode()
    assert "Nie rozpoznano kolumn" in html


def test_garbage_input_never_breaks_the_payment_pages(client_for, staff_user, call):
    client = client_for(staff_user)
    for query in ("?due_from=jutro", "?call=abc", "?authority=999999", "?strona=x", "?status=zle"):
        assert client.get(LIST + query).status_code == 200
    assert client.post(LIST, {"paid_on": "9999-99-99", "tranches": ["x"]}).status_code == 200
    assert client.post(LIST, {"paid_on": "0001-01-01", "tranches": []}).status_code == 200
    for content in ("", "\x00\x00", '"a;b\n', ";;;;\n;;;;", "a\n" * 10):
        assert client.post(IMPORT, {"action": "save", "content": content}).status_code == 200
    assert client.get(reverse("grants:tranche-pay", args=[1])).status_code == 405
    assert client.post(reverse("grants:tranche-pay", args=[999999])).status_code == 404


def test_staff_undo_a_transfer_recorded_by_mistake_after_confirming(client_for, staff_user, ngo_admin, call):
    (agreement,) = _agreements(call, 1)
    tranche = agreement.tranches.get(number=1)
    Tranche.objects.filter(pk=tranche.pk).update(paid_on=date(2025, 3, 1))
    url = reverse("grants:tranche-payment-cancel", args=[tranche.pk])
    assert client_for(ngo_admin).post(url, {"confirm": "1"}).status_code == 403
    client = client_for(staff_user)
    response = client.post(url, follow=True)
    assert "Potwierdź cofnięcie zapisu przelewu." in response.content.decode()
    tranche.refresh_from_db()
    assert tranche.paid_on == date(2025, 3, 1)
    response = client.post(url, {"confirm": "1"}, follow=True)
    assert "Cofnięto zapis przelewu transzy nr 1." in response.content.decode()
    tranche.refresh_from_db()
    assert tranche.paid_on is None


# The row as the template wrote it before ``{% payment_row %}`` (grants/templatetags/payment_rows.py) took over.
OLD_ROW = (
    "{% for t in tranches %}<tr>\n"
    '    <td>{% if not t.paid_on and t.agreement.status == "signed" %}<input class="form-check-input" type="checkbox" '
    'name="tranches" value="{{ t.pk }}" id="t{{ t.pk }}"{% if t.pk in chosen_ids %} checked{% endif %}><label '
    'class="visually-hidden" for="t{{ t.pk }}">Transza nr {{ t.number }} umowy nr {{ t.agreement.number }}</label>'
    "{% endif %}</td>\n"
    "    <td><a href=\"{% url 'grants:agreement-detail' t.agreement_id %}#transze\">{{ t.agreement.number }}</a>, "
    "transza {{ t.number }}</td>\n"
    "    <td>{{ t.agreement.organisation.name }}</td>\n"
    "    <td>{% if t.agreement.call %}{{ t.agreement.call.number }}{% else %}art. 19a / art. 12{% endif %}</td>\n"
    '    <td class="num">{{ t.amount|money }}</td>\n'
    '    <td>{{ t.due_date|date:"d.m.Y" }}{% if not t.paid_on and t.due_date < today %} '
    '{% badge "danger" "po terminie" %}{% endif %}</td>\n'
    '    <td>{% if t.paid_on %}{{ t.paid_on|date:"d.m.Y" }}{% else %}—{% endif %}</td></tr>{% endfor %}'
)


def test_the_payment_row_tag_writes_what_the_template_wrote(call):
    from django.template import Context, Template

    from grants.models import Offer
    from programmes.imports.models import ImportBatch
    from tests.accounts.factories import UserFactory

    signed, draft = (
        _agreements(call, 1)[0],
        make_agreement(
            organisation=OrganisationFactory(name="Fundacja <b>&</b> „Cudzysłów”"),
            call=call,
            status=Agreement.Status.DRAFT,
            tranches=[("6000.00", None), ("4000.00", None)],
        ),
    )
    small = make_agreement(
        organisation=OrganisationFactory(), kind=Offer.Kind.SMALL_GRANT, tranches=[("5000.00", None)]
    )
    imported = make_agreement(organisation=OrganisationFactory(), call=call, tranches=[("3000.00", None)])
    batch = ImportBatch.objects.create(
        authority=call.authority,
        kind=ImportBatch.Kind.AGREEMENTS,
        file_name="umowy.csv",
        row_count=1,
        created_by=UserFactory(),
    )
    # An agreement of earlier years, imported with its call.
    Agreement.objects.filter(pk=imported.pk).update(award=None, version=None, import_batch=batch, imported_call=call)
    Tranche.objects.filter(agreement=signed, number=2).update(paid_on=date(2025, 4, 2))
    chosen = Tranche.objects.filter(agreement__in=[signed, draft, small, imported]).for_payment_list()
    tranches, rows = list(chosen), list(chosen.payment_rows())
    assert len(tranches) == 6 and any(t.agreement.call is None for t in tranches)
    assert [row["pk"] for row in rows] == [t.pk for t in tranches]
    for today in (date(2024, 1, 1), date(2030, 1, 1)):
        context = {"tranches": tranches, "rows": rows, "chosen_ids": {tranches[0].pk}, "today": today}
        old = Template(OLD_ROW).render(Context(context))
        new = Template(
            "{% load payment_rows %}{% for t in rows %}{% payment_row t chosen_ids today %}{% endfor %}"
        ).render(Context(context))
        assert new == old
    assert "po terminie" in old and " checked" in old and "art. 19a / art. 12" in old and "&lt;b&gt;" in old
    assert old.count(f"<td>{call.number}</td>") == 5  # the tranches of the call's two agreements and the imported one


def test_a_url_by_pk_is_what_reverse_gives_in_and_out_of_an_authority_space(authority):
    from django.urls import get_script_prefix, set_script_prefix

    from config.links import pk_url

    root = get_script_prefix()
    try:
        for prefix in (root, f"{root}{authority.slug}/"):
            set_script_prefix(prefix)
            for pk in (1, 42, 9081726354):
                assert pk_url("grants:agreement-detail", pk) == reverse("grants:agreement-detail", args=[pk])
        assert pk_url("grants:agreement-detail", 7).startswith(f"{root}{authority.slug}/")
    finally:
        set_script_prefix(root)
