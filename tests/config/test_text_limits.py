"""Every free-text field has a limit; the server refuses longer text with a Polish message on its field."""

import pytest
from django import forms
from django.urls import reverse

from grants.models import Offer
from tests.config.test_numbers import _form_classes
from tests.grants.factories import OpenCallFactory, complete_offer
from tests.grants.test_offers_helpers import form_data

OFFER_LIMITS = {  # the official offer form's sections and the limits the portal applies (README)
    "synopsis": 3000,
    "results_description": 3000,
    "previous_activity": 3000,
    "resources": 3000,
    "joint_roles": 2000,
    "other_info": 3000,
}


def _text_fields():
    for cls in _form_classes():
        for name, field in cls.base_fields.items():
            if type(field) is forms.CharField and not isinstance(
                field.widget, (forms.PasswordInput, forms.HiddenInput)
            ):
                yield pytest.param(field, id=f"{cls.__name__}.{name}")


@pytest.mark.parametrize("field", list(_text_fields()))
def test_every_free_text_field_has_a_limit(field):
    assert field.max_length is not None and field.max_length <= 200_000


def test_the_offer_form_states_its_limits():
    from grants.forms import OfferForm

    form = OfferForm(instance=Offer())
    for name, limit in OFFER_LIMITS.items():
        assert form.fields[name].max_length == limit
        assert f"Do {limit // 1000}\u00a0000 znaków." in form.fields[name].help_text


@pytest.mark.django_db
def test_100_kb_in_every_text_field_is_refused_on_each_field_at_once(client_for, authority, organisation, ngo_admin):
    offer = complete_offer(OpenCallFactory(programme__authority=authority), organisation, ngo_admin)
    client = client_for(ngo_admin)
    url = reverse("grants:offer-edit", args=[offer.pk])
    data = {k: v for k, v in form_data(client.get(url).text).items() if "__prefix__" not in k}
    huge = "Ż" * 100_000
    data.update(dict.fromkeys(OFFER_LIMITS, huge))
    assert client.post(url, data).status_code == 302
    offer.refresh_from_db()
    assert offer.synopsis == "Zajęcia piłkarskie dla 60 dzieci z osiedla Przylesie."  # the saved text stays
    page = client.get(url)
    form = page.context["form"]
    for name, limit in OFFER_LIMITS.items():
        assert form.errors[name] == [f"Upewnij się, że ta wartość ma co najwyżej {limit} znaków (obecnie ma 100000)."]
    assert page.text.count("data-maxlength") == 0 and 'maxlength="3000"' in page.text  # counter.js takes it over
