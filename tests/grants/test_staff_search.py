"""One search box for the office (organisation name, NIP, KRS, REGON; offer, call, agreement and receipt numbers;
titles), grouped by kind and limited to the staff's authority; the directory finds by KRS/NIP and in any order."""

import pytest
from django.urls import reverse

from grants.models import Agreement
from organisations.models import Organisation
from tests.accounts.factories import AuthorityFactory
from tests.grants.agreement_factories import make_agreement
from tests.grants.commission_factories import review_call
from tests.grants.factories import OpenCallFactory
from tests.helpers import assert_constant_queries
from tests.organisations.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
SEARCH = reverse("grants:staff-search")


def found(response) -> dict[str, list]:
    """The ids found, per group (rows are dicts, ``grants.search``)."""
    return {group.key: [row["pk"] for row in group.rows] for group in response.context["groups"]}


def test_the_directory_finds_by_krs_nip_and_words_in_any_order(client):
    odra = OrganisationFactory(name="Stowarzyszenie Przyjaciół Ziemi Kozielskiej „Odra”", krs="0000123456")
    OrganisationFactory(name="Fundacja Ziemia Obiecana")
    url = reverse("organisations:directory")

    def names(query):
        return [o.name for o in client.get(url, {"q": query}).context["page"].object_list]

    assert names("odra ziemi przyjaciol") == [odra.name]
    assert names("KOZIELSKIEJ stowarzyszenie") == [odra.name]
    assert names("123456") == [odra.name]  # KRS without the zeros in front
    assert names("0000123456") == [odra.name]
    dashed = f"{odra.nip[:3]}-{odra.nip[3:6]}-{odra.nip[6:8]}-{odra.nip[8:]}"
    assert names(dashed) == [odra.name]
    assert names(odra.regon) == [odra.name]
    assert names("ziemi") == ["Fundacja Ziemia Obiecana", odra.name]  # a word's beginning finds longer words


def test_staff_search_groups_results_of_their_authority(client_for, staff_user, authority):
    call = review_call(offers=2, authority=authority, number="OK/2027/15", title="Wypoczynek letni dzieci")
    offer = call.offers.select_related("organisation", "current_version").first()
    agreement = make_agreement(organisation=offer.organisation, call=call, authority=authority)
    foreign_authority = AuthorityFactory(name="Gmina Obca", slug="obca", city="Obca Wieś")
    foreign_call = OpenCallFactory(programme__authority=foreign_authority, number="OK/2027/16")
    foreign = make_agreement(organisation=OrganisationFactory(), call=foreign_call, authority=foreign_authority)
    client = client_for(staff_user)

    by_receipt = found(client.get(SEARCH, {"q": offer.current_version.receipt_number}))
    assert by_receipt["offers"] == [offer.pk]

    by_nip = found(client.get(SEARCH, {"q": offer.organisation.nip}))
    assert by_nip["organisations"] == [offer.organisation.pk]
    assert offer.pk in by_nip["offers"] and agreement.pk in by_nip["agreements"]

    by_words = found(client.get(SEARCH, {"q": "dzieci letni"}))
    assert by_words["calls"] == [call.pk]

    by_number = found(client.get(SEARCH, {"q": agreement.number}))
    assert by_number["agreements"] == [agreement.pk]
    # Another authority's call and agreement are not found.
    assert found(client.get(SEARCH, {"q": "OK/2027/16"}))["calls"] == []
    assert foreign.pk not in found(client.get(SEARCH, {"q": foreign.number}))["agreements"]
    html = client.get(SEARCH, {"q": agreement.number}).content.decode()
    assert reverse("grants:agreement-detail", args=[agreement.pk]) in html


def test_a_name_finds_only_the_authoritys_own_offers_and_agreements(client_for, staff_user, authority):
    """An organisation working with two authorities: its name finds this authority's offers (in a call and a small
    grant) and agreements, never the other authority's, nor a draft."""
    from grants.models import Offer

    klub = OrganisationFactory(name="Klub Sportowy Kormoran", city="Daleko")
    own_call = OpenCallFactory(programme__authority=authority)
    in_call = make_agreement(organisation=klub, call=own_call, authority=authority)
    small = make_agreement(organisation=klub, kind=Offer.Kind.SMALL_GRANT, authority=authority)
    foreign_authority = AuthorityFactory(name="Gmina Obca", slug="obca", city="Obca Wieś")
    foreign_call = OpenCallFactory(programme__authority=foreign_authority)
    foreign = make_agreement(organisation=klub, call=foreign_call, authority=foreign_authority)
    foreign_small = make_agreement(organisation=klub, kind=Offer.Kind.SMALL_GRANT, authority=foreign_authority)
    draft = make_agreement(organisation=klub, call=own_call, authority=authority).award.offer
    Offer.objects.filter(pk=draft.pk).update(status=Offer.Status.DRAFT)
    other = OrganisationFactory(name="Klub Sportowy Obcy", city="Obca Wieś")
    make_agreement(organisation=other, call=foreign_call, authority=foreign_authority)

    groups = found(client_for(staff_user).get(SEARCH, {"q": "kormoran"}))
    assert groups["organisations"] == [klub.pk]
    assert set(groups["offers"]) == {in_call.award.offer_id, small.award.offer_id}
    own_agreements = {in_call.pk, small.pk, Agreement.objects.get(award__offer=draft).pk}
    assert set(groups["agreements"]) == own_agreements
    assert foreign.pk not in groups["agreements"] and foreign_small.pk not in groups["agreements"]
    words = found(client_for(staff_user).get(SEARCH, {"q": "klub sportowy"}))
    assert words["organisations"] == [klub.pk]  # the other club deals only with the other authority
    assert set(Offer.objects.filter(pk__in=words["offers"]).values_list("organisation", flat=True)) == {klub.pk}
    assert words["offers"]


def test_the_superuser_finds_every_authoritys_offers_and_agreements(client_for, superuser, authority):
    """No authority to start from: the search is the installation's (the same conditions, no restriction)."""
    from grants.models import Offer

    klub = OrganisationFactory(name="Klub Sportowy Kormoran")
    foreign_authority = AuthorityFactory(name="Gmina Obca", slug="obca", city="Obca Wieś")
    own = make_agreement(organisation=klub, call=OpenCallFactory(programme__authority=authority), authority=authority)
    foreign = make_agreement(organisation=klub, kind=Offer.Kind.SMALL_GRANT, authority=foreign_authority)

    groups = found(client_for(superuser).get(SEARCH, {"q": "kormoran"}))
    assert groups["organisations"] == [klub.pk]
    assert set(groups["offers"]) == {own.award.offer_id, foreign.award.offer_id}
    assert set(groups["agreements"]) == {own.pk, foreign.pk}


def test_a_query_too_short_asks_for_more(client_for, staff_user):
    response = client_for(staff_user).get(SEARCH, {"q": "a"})
    assert "Wpisz co najmniej 2 znaki." in response.text


def test_only_staff_search(client_for, ngo_admin, client):
    assert client.get(SEARCH, {"q": "x"}).status_code == 302  # to the login page
    assert client_for(ngo_admin).get(SEARCH, {"q": "x"}).status_code == 403


def test_search_queries_do_not_grow_with_the_data(client_for, staff_user, authority):
    client = client_for(staff_user)
    call = review_call(offers=2, authority=authority, title="Sport dzieci")

    def grow():
        for _ in range(4):
            organisation = OrganisationFactory(name="Klub Sportowy Dzieci", city=authority.city)
            make_agreement(organisation=organisation, call=call, authority=authority)
        review_call(offers=4, authority=authority, title="Sport dzieci i młodzieży")

    assert_constant_queries(lambda: client.get(SEARCH, {"q": "sport dzieci"}), grow, budget=9)
    assert Organisation.objects.count() > 6


# The rows of the search's tables as the template wrote them before ``{% search_rows %}`` took over.
OLD_SEARCH_ROWS = {
    "organisations": """{% for o in group.rows %}<tr><td><a href="{% url 'organisations:detail' o.pk %}">{{ o.name }}</a></td><td>{{ o.registry_number }}</td><td>{{ o.nip }}</td><td>{{ o.regon }}</td><td>{{ o.city }}</td></tr>{% endfor %}""",  # noqa: E501
    "calls": """{% for c in group.rows %}<tr><td><a href="{% url 'grants:call-dashboard' c.pk %}">{{ c.number }}</a></td><td>{{ c.title }}</td><td>{{ c.delivery_start|date:"d.m.Y" }} – {{ c.delivery_end|date:"d.m.Y" }}</td><td>{{ c.get_status_display }}</td></tr>{% endfor %}""",  # noqa: E501
    "offers": """{% for o in group.rows %}<tr><td>{% if o.call_id %}<a href="{% url 'grants:offer-review' o.pk %}">{% else %}<a href="{% url 'grants:small-grant-case' o.pk %}">{% endif %}{{ o.current_version.receipt_number|default:"(bez numeru)" }}</a></td><td><strong>{{ o.organisation.name }}</strong><br>{{ o.title|default:"(bez tytułu)" }}</td><td>{% if o.call_id %}konkurs {{ o.call.number }}{% else %}{{ o.get_kind_display }}{% endif %}</td><td>{{ o.get_status_display }}</td></tr>{% endfor %}""",  # noqa: E501
    "agreements": """{% for a in group.rows %}<tr><td><a href="{% url 'grants:agreement-detail' a.pk %}">{{ a.number }}</a></td><td><strong>{{ a.organisation.name }}</strong><br>{{ a.title }}</td><td class="num">{{ a.grant_amount|money }}</td><td>{{ a.get_status_display }}</td></tr>{% endfor %}""",  # noqa: E501
}


def test_the_search_rows_tag_writes_what_the_template_wrote(client_for, staff_user, authority):
    """The page's rows (dicts, written by ``{% search_rows %}``) are what the old template wrote for the same
    objects, character for character, escaping included."""
    from django.template import Context, Template

    from grants.models import Agreement, Offer, OpenCall
    from grants.search import Group

    call = OpenCallFactory(programme__authority=authority, number="OK/2027/<1>", title="Sport & „zabawa”")
    klub = OrganisationFactory(name="Klub <b>„Orły”</b> & Syn zabawa", krs="", other_register="Ewidencja <starosty>")
    make_agreement(organisation=klub, call=call, authority=authority)
    fundacja = OrganisationFactory(name="Fundacja Zabawa")
    small = make_agreement(organisation=fundacja, kind=Offer.Kind.SMALL_GRANT, authority=authority)
    # Shown as "(bez numeru)" and "(bez tytułu)".
    Offer.objects.filter(pk=small.award.offer_id).update(current_version=None, title="")
    response = client_for(staff_user).get(SEARCH, {"q": "zabawa"})
    page = response.content.decode()
    objects = {
        "organisations": Organisation.objects,
        "calls": OpenCall.objects,
        "offers": Offer.objects.select_related("organisation", "call", "current_version"),
        "agreements": Agreement.objects.select_related("organisation"),
    }
    sizes, html = {}, ""
    for group in response.context["groups"]:
        found = objects[group.key].in_bulk([row["pk"] for row in group.rows])
        old = Group(group.key, "", [found[row["pk"]] for row in group.rows])
        written = Template(OLD_SEARCH_ROWS[group.key]).render(Context({"group": old}))
        assert written in page, group.key
        sizes[group.key], html = len(group.rows), html + written
    assert sizes == {"organisations": 2, "calls": 1, "offers": 2, "agreements": 2}
    for text in ("&lt;b&gt;", "Ewidencja &lt;starosty&gt;", "OK/2027/&lt;1&gt;", "(bez numeru)", "(bez tytułu)"):
        assert text in html
    assert "konkurs OK/2027" in html and "mała dotacja (art. 19a)" in html
    assert reverse("grants:small-grant-case", args=[small.award.offer_id]) in html
