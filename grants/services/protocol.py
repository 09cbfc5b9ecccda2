"""The chair signs the commission's protocol in the portal: who and when is stored on the commission and in the audit
log, and the protocol is frozen as signed (reports.publications)."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts.audit import acting_as
from reports.publications import publication_publish

from ..models import Commission


def protocol_signing_error(commission: Commission, actor) -> str | None:
    if commission.protocol_signed_at is not None:
        return "Protokół został już podpisany."
    if commission.status != Commission.Status.CLOSED:
        return "Protokół podpisuje się po zakończeniu oceny ofert."
    if not commission.members.active().filter(is_chair=True, user=actor.pk).exists():
        return "Protokół podpisuje przewodniczący komisji."
    return None


@transaction.atomic
def protocol_sign(*, commission: Commission, actor) -> Commission:
    """The chair's signature under the protocol as it stands after scoring closed."""
    commission = Commission.objects.select_for_update().get(pk=commission.pk)
    if error := protocol_signing_error(commission, actor):
        raise ValidationError(error)
    with acting_as(actor):
        commission.protocol_signed_at = timezone.now()
        commission.protocol_signed_by = actor
        commission.save(update_fields=["protocol_signed_at", "protocol_signed_by"])
    # The signed protocol is frozen as signed (page and PDF, with its checksum); a later change is a correction.
    publication_publish(actor=actor, document=commission)
    return commission
