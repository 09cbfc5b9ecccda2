"""The 41 spheres of art. 4 ust. 1 are reference data: a flush (transactional tests, `manage.py flush`) keeps them."""

import pytest
from django.core.management import call_command

from organisations.models import PublicTaskArea


@pytest.mark.django_db(transaction=True)
def test_a_flush_brings_the_spheres_back():
    assert PublicTaskArea.objects.count() == 41
    call_command("flush", interactive=False, verbosity=0)
    assert PublicTaskArea.objects.count() == 41
    assert PublicTaskArea.objects.get(code="6").number == 6
