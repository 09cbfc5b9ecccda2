"""The one status badge: every status of every model has a tone, and the badge shows the status's own text."""

import pytest
from django.apps import apps
from django.template import Context, Template

from config.statuses import STATUS_TONES, TONES, Badge, status_badge_of
from grants.models import Agreement, Offer


@pytest.mark.parametrize("label", sorted(STATUS_TONES))
def test_every_status_of_the_model_has_a_tone(label):
    model = apps.get_model(label)
    values = {value for value, _ in model._meta.get_field("status").choices}
    assert set(STATUS_TONES[label]) == values, f"{label}: statuses without a tone or tones of unknown statuses"
    assert set(STATUS_TONES[label].values()) <= set(TONES)


def test_every_model_with_a_status_field_is_covered():
    with_status = {
        model._meta.label_lower
        for model in apps.get_models()
        if model.__module__.split(".")[0] in {"grants", "consultations", "programmes", "reports"}
        and any(f.name == "status" and f.choices for f in model._meta.get_fields() if hasattr(f, "choices"))
    }
    assert with_status <= set(STATUS_TONES), with_status - set(STATUS_TONES)


def test_badge_shows_the_status_text_in_its_tone():
    html = Template("{% status_badge offer %}").render(Context({"offer": Offer(status=Offer.Status.DEFECT_NOTICE)}))
    assert html == '<span class="badge status-badge status-action">wezwanie do uzupełnienia braków</span>'
    html = Template("{% status_badge agreement %}").render(
        Context({"agreement": Agreement(status=Agreement.Status.TERMINATED)})
    )
    assert "status-danger" in html and "rozwiązana" in html


def test_badge_of_a_ready_state_and_of_free_text_escapes_it():
    assert Template("{% badge state %}").render(Context({"state": Badge("success", "umowa zawarta")})) == (
        '<span class="badge status-badge status-success">umowa zawarta</span>'
    )
    html = Template('{% badge "nonsense" text %}').render(Context({"text": "<b>x</b>"}))
    assert "status-progress" in html and "&lt;b&gt;" in html


def test_no_status_no_badge():
    assert status_badge_of(None) is None
    assert Template("{% status_badge x %}").render(Context({"x": None})) == ""


@pytest.mark.parametrize("label", sorted(STATUS_TONES))
def test_the_badge_text_is_what_get_status_display_says(label):
    """The badge reads labels from a table made once per field; it must say what Django's method says."""
    model = apps.get_model(label)
    for value, _ in model._meta.get_field("status").flatchoices:
        obj = model(status=value)
        assert status_badge_of(obj).text == obj.get_status_display()
    assert status_badge_of(model(status="unknown")).text == "unknown"
