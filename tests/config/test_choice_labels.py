"""Every model's ``get_<field>_display()`` answers from the cached label tables (``config.statuses``) exactly as
Django's own method does: each choice of each field, in Polish and in English, and values that are no choice."""

from functools import partialmethod

from django.apps import apps
from django.db.models import Model
from django.utils import translation

from grants.models import Offer


def test_every_display_method_says_what_djangos_says():
    compared = 0
    for model in apps.get_models():
        for field in model._meta.fields:
            if not field.choices:
                continue
            method = model.__dict__.get(f"get_{field.name}_display")
            if isinstance(method, partialmethod) or method is None:
                continue  # a model's own method, or inherited: compared where it was made
            instance = model.__new__(model)
            for value in [value for value, _label in field.flatchoices] + [None, "nie-ma-takiej", 12345]:
                instance.__dict__[field.attname] = value
                for language in ("pl", "en"):
                    with translation.override(language):
                        expected = Model._get_FIELD_display(instance, field)
                        assert method(instance) == expected, (model, field.name, value, language)
                        assert type(method(instance)) is type(expected), (model, field.name, value)
                compared += 1
    assert compared > 300  # the portal's statuses, kinds, modes… all of them


def test_the_labels_are_the_portals_polish_ones():
    offer = Offer(status=Offer.Status.SUBMITTED, kind=Offer.Kind.SMALL_GRANT)
    assert not isinstance(Offer.__dict__["get_status_display"], partialmethod)
    assert offer.get_status_display() == str(Offer.Status.SUBMITTED.label)
    assert offer.get_kind_display() == "mała dotacja (art. 19a)"
