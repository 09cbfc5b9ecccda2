"""Signed copies: an organisation (or the office) uploads the issued document signed electronically; the portal
verifies it, stores the result with the document's version, and, for an agreement, concludes it once both parties'
signatures verify (art. 16 ust. 1: the agreement is made in writing; an electronic signature is its equivalent,
Kodeks cywilny art. 78¹)."""

import hashlib
from datetime import datetime

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.audit import acting_as

from . import representation
from .models import IssuedDocument, SignedCopy
from .parties import SIGNABLE, parties_of
from .seal import seal_configured, seal_info, seal_pdf
from .verification import sniff_format, verify

Party = SignedCopy.Party
R = SignedCopy.Representation
T = SignedCopy.Trust


def _names_of(party: str, parties, document: IssuedDocument) -> tuple[list[str], int, bool]:
    """Who may sign for ``party`` and how many together (``all_required``: each of them)."""
    if party == Party.ORGANISATION:
        names, required = representation.organisation_rule(parties.organisation)
        return names, required, False
    agreement = parties.agreement
    text = agreement.authority_representatives if agreement is not None else ""
    return representation.representative_names(text), 1, True


def _other_party_signers(document: IssuedDocument, party: str) -> set[frozenset]:
    """Signers already accepted for the other party: their signatures in a countersigned PDF are not this party's."""
    copies = SignedCopy.objects.filter(document=document, result=SignedCopy.Result.VERIFIED).exclude(party=party)
    return {representation.name_key(s["name"]) for copy in copies for s in copy.signers}


@transaction.atomic
def signed_copy_submit(
    *, document: IssuedDocument, party: str, actor, signature: bytes, content: bytes | None = None
) -> SignedCopy:
    """Verify and record a signed copy of ``document`` uploaded by ``party``. A copy that fails is recorded too,
    as rejected with its reasons, so the party and the office see what was wrong."""
    document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    if document.kind not in SIGNABLE or document.status != IssuedDocument.Status.READY:
        raise ValidationError("Tego dokumentu nie podpisuje się w portalu.")
    latest = IssuedDocument.objects.latest_of(document.kind, document.object_id)
    if latest is not None and latest.pk != document.pk:
        raise ValidationError(f"Jest nowsza wersja tego dokumentu (wersja {latest.version}): podpisz ją.")
    fmt = sniff_format(signature)
    if fmt is None:
        raise ValidationError({"signature": "To nie jest podpisany plik PDF, plik XAdES (.xml) ani podpis .p7s."})
    if content is not None and not content.lstrip().startswith(b"%PDF-"):
        raise ValidationError({"content": "Dołącz podpisany dokument w PDF."})
    parties = parties_of(document)
    original = document.read()
    result = verify(fmt, signature, original, content)
    names, required, all_required = _names_of(party, parties, document)
    others = _other_party_signers(document, party)
    own = [s for s in result.signers if representation.name_key(s.name) not in others]
    rep = representation.check([s.name for s in own], names, required, all_required=all_required)
    problems = list(result.problems)
    if result.trust_checked and not result.trusted:
        problems.append(
            "Certyfikat osoby podpisującej nie pochodzi od zaufanego dostawcy (łańcuch certyfikatów niezaufany)."
        )
    times = [s.when for s in own if s.when]
    copy = SignedCopy(
        document=document,
        party=party,
        organisation=parties.organisation if party == Party.ORGANISATION else None,
        authority_id=parties.authority_id if party == Party.AUTHORITY else None,
        format=fmt,
        sha256=hashlib.sha256(signature).hexdigest(),
        result=SignedCopy.Result.REJECTED if problems or not result.signers else SignedCopy.Result.VERIFIED,
        representation=rep.status,
        representation_note=rep.note[:500],
        trust=(T.TRUSTED if result.trusted else T.UNTRUSTED) if result.trust_checked else T.NOT_CHECKED,
        signers=result.signers_json(),
        problems=problems,
        signed_at=max(times) if times else None,
        uploaded_by=actor,
    )
    copy.file.save("signature", ContentFile(signature), save=False)
    if content is not None:
        copy.content_file.save("signed-content.pdf", ContentFile(content), save=False)
    with acting_as(actor):
        copy.save()
    if document.kind == IssuedDocument.Kind.AGREEMENT and copy.accepted:
        agreement_conclude_if_signed(document=document, actor=actor)
    return copy


def current_copy(document: IssuedDocument, party: str) -> SignedCopy | None:
    """The party's latest signed copy of this version (the one that counts)."""
    return SignedCopy.objects.filter(document=document, party=party).order_by("-uploaded_at", "-pk").first()


@transaction.atomic
def agreement_seal(*, document: IssuedDocument, actor) -> SignedCopy:
    """The office concludes the agreement with the authority's electronic seal (where the authority allows it):
    the organisation's verified signed PDF gets the seal as a further signature."""
    from grants.models import Agreement

    document = IssuedDocument.objects.select_for_update().get(pk=document.pk)
    agreement = Agreement.objects.select_related("authority").get(pk=document.object_id)
    if not agreement.authority.seals_agreements:
        raise ValidationError(
            "Ten urząd nie zawiera umów pieczęcią elektroniczną: prześlij umowę podpisaną przez reprezentantów urzędu."
        )
    if not seal_configured():
        raise ValidationError("Nie skonfigurowano klucza pieczęci elektronicznej portalu.")
    ngo = current_copy(document, Party.ORGANISATION)
    if ngo is None or not ngo.accepted or ngo.format != SignedCopy.Format.PADES:
        raise ValidationError(
            "Najpierw organizacja przesyła umowę podpisaną w formacie PAdES i podpis musi się zweryfikować."
        )
    with ngo.file.open("rb") as handle:
        sealed = seal_pdf(handle.read(), reason=f"Zawarcie umowy nr {agreement.number} – pieczęć urzędu")
    now = timezone.now()
    info = seal_info()
    copy = SignedCopy(
        document=document,
        party=Party.AUTHORITY,
        authority_id=agreement.authority_id,
        format=SignedCopy.Format.SEAL,
        sha256=hashlib.sha256(sealed).hexdigest(),
        result=SignedCopy.Result.VERIFIED,
        representation=R.COMPLETE,
        representation_note="Pieczęć elektroniczna urzędu nałożona w portalu za zgodą organu.",
        trust=T.NOT_CHECKED,
        signers=[
            {
                "name": info.holder,
                "issuer": info.issuer,
                "signing_time": now.isoformat(),
                "signed_local": f"{timezone.localtime(now):%d.%m.%Y, %H:%M}",
                "pesel": "",
                "time_source": "czas portalu",
                "valid_at_signing": True,
                "trusted": None,
            }
        ],
        problems=[],
        signed_at=now,
        uploaded_by=actor,
    )
    copy.file.save("sealed.pdf", ContentFile(sealed), save=False)
    with acting_as(actor):
        copy.save()
    agreement_conclude_if_signed(document=document, actor=actor)
    return copy


def agreement_conclude_if_signed(*, document: IssuedDocument, actor):
    """Both parties' copies verified and signed as their representation requires: the agreement is concluded
    ("zawarta") on the later signature's date. Otherwise nothing happens yet."""
    from grants.models import Agreement
    from grants.services.agreements import agreement_sign

    ngo, office = current_copy(document, Party.ORGANISATION), current_copy(document, Party.AUTHORITY)
    if not (ngo and office and ngo.accepted and office.accepted):
        return None
    agreement = Agreement.objects.get(pk=document.object_id)
    if agreement.status != Agreement.Status.DRAFT:
        return agreement
    later: datetime = max(ngo.signed_at or ngo.uploaded_at, office.signed_at or office.uploaded_at)
    return agreement_sign(
        agreement=agreement, signed_on=min(timezone.localdate(later), timezone.localdate()), actor=actor
    )


def electronically_concluded(agreement) -> bool:
    """Whether the agreement was concluded by verified electronic signatures of both parties (else on paper)."""
    document = (
        IssuedDocument.objects.filter(
            kind=IssuedDocument.Kind.AGREEMENT, object_id=agreement.pk, signed_copies__isnull=False
        )
        .order_by("-version")
        .first()
    )
    if document is None:
        return False
    ngo, office = current_copy(document, Party.ORGANISATION), current_copy(document, Party.AUTHORITY)
    return bool(ngo and office and ngo.accepted and office.accepted)


def signing_state(kind: str, object_id: int, version: int | None = None, party: str = Party.ORGANISATION):
    """The issued document (that version, else the latest) and the party's current signed copy of it."""
    documents = IssuedDocument.objects.filter(kind=kind, object_id=object_id, status=IssuedDocument.Status.READY)
    if version is not None:
        documents = documents.filter(version=version)
    document = documents.order_by("-version").first()
    return document, (current_copy(document, party) if document else None)


def checklist_suggestion(copy: SignedCopy | None) -> tuple[bool, str]:
    """The formal-review item "signed by the persons authorised to represent" as the signed copy shows it: confirmed,
    or the reason it is not."""
    if copy is None:
        return False, "Organizacja nie przesłała oferty podpisanej elektronicznie."
    if copy.result != SignedCopy.Result.VERIFIED:
        return False, "Podpis elektroniczny odrzucony: " + " ".join(copy.problems)[:400]
    if copy.representation != R.COMPLETE:
        return False, copy.representation_note[:500]
    return True, ""
