"""The ``signing_box`` tag: it shows the issued document, and loading the tag libraries does not load pyHanko."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.template import Context, Template

from .conftest import issue_offer_document

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_the_signing_box_shows_the_issued_document_and_nothing_without_one(offer):
    template = Template('{% load signing %}{% signing_box "offer" object_id upload=True label="oferty" %}')
    assert template.render(Context({"object_id": offer.pk})).strip() == ""
    document = issue_offer_document(offer)
    html = template.render(Context({"object_id": offer.pk}))
    assert 'aria-label="Podpis elektroniczny oferty"' in html and document.number in html
    assert "Podpisz elektronicznie i prześlij" in html


def test_the_first_template_of_a_process_does_not_import_the_signing_services():
    """Django imports every tag library the first time a template renders (a PDF made by the worker, say); the
    signing services load pyHanko and aiohttp, 0.7 s, only when a signing box is shown."""
    code = (
        "import django, sys; django.setup(); from django.template.loader import render_to_string; "
        "render_to_string('pdf/base.html', {}); print('pyhanko' in sys.modules, 'aiohttp' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, env=_env()
    )
    assert result.stdout.split() == ["False", "False"]


def _env() -> dict:
    import os

    return {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.test"}
