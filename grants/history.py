"""Which audit-log entries make up the history of an offer, an agreement, a report and a call (``accounts/history``).

The organisation sees its offer's history without what it may not know yet: the office's formal checklists, and
the award until the results are published (a call's proposals are the commission's, art. 15 ust. 2h).
"""

from accounts.history import Target

from .models import (
    Agreement,
    AgreementBudgetLine,
    Annex,
    Appeal,
    Award,
    Commission,
    Control,
    DefectNotice,
    FormalReview,
    GrantReport,
    Offer,
    OfferAttachment,
    OfferUpdate,
    OfferVersion,
    OpenCall,
    OwnInitiativeAssessment,
    Refund,
    SmallGrantPublication,
    Tranche,
)


def _pk(queryset):
    return queryset.values("pk")


def _messages(**case) -> Target:
    """The case's correspondence (``correspondence``): each message sent, and an official request answered."""
    from grants.correspondence.models import Message

    return Target(Message, _pk(Message.objects.filter(**case)), subject="wiadomość")


def offer_targets(offer: Offer, *, for_office: bool) -> list[Target]:
    targets = [
        _messages(offer=offer),
        Target(Offer, [offer.pk], subject="oferta"),
        Target(OfferVersion, _pk(OfferVersion.objects.filter(offer=offer)), subject="wersja oferty"),
        Target(OfferAttachment, _pk(OfferAttachment.objects.filter(offer=offer)), subject="załącznik"),
        Target(DefectNotice, _pk(DefectNotice.objects.filter(offer=offer)), subject="wezwanie do uzupełnienia braków"),
        Target(OfferUpdate, _pk(OfferUpdate.objects.filter(award__offer=offer)), subject="aktualizacja oferty"),
        Target(Appeal, _pk(Appeal.objects.filter(offer=offer)), subject="odwołanie"),
        Target(SmallGrantPublication, _pk(SmallGrantPublication.objects.filter(offer=offer)), subject="publikacja"),
        Target(
            OwnInitiativeAssessment,
            _pk(OwnInitiativeAssessment.objects.filter(offer=offer)),
            subject="rozpatrzenie oferty (art. 12)",
        ),
    ]
    awards = Award.objects.filter(offer=offer)
    if for_office:
        targets.append(Target(FormalReview, _pk(FormalReview.objects.filter(offer=offer)), subject="ocena formalna"))
    elif offer.call_id is not None and offer.call.results_published_at is None:
        awards = awards.none()
    targets.append(
        Target(
            Award,
            _pk(awards),
            subject="rozstrzygnięcie",
            hidden=frozenset() if for_office else frozenset({"proposed_amount"}),
        )
    )
    return targets


def agreement_targets(agreement: Agreement, *, for_office: bool) -> list[Target]:
    targets = [
        _messages(agreement=agreement),
        Target(Agreement, [agreement.pk], subject="umowa"),
        Target(Tranche, _pk(Tranche.objects.filter(agreement=agreement)), subject="transza"),
        Target(Annex, _pk(Annex.objects.filter(agreement=agreement)), subject="aneks"),
        Target(GrantReport, _pk(GrantReport.objects.filter(agreement=agreement)), subject="sprawozdanie"),
        Target(Refund, _pk(Refund.objects.filter(agreement=agreement)), subject="zwrot dotacji"),
    ]
    if for_office:
        targets += [
            Target(
                AgreementBudgetLine,
                _pk(AgreementBudgetLine.objects.filter(agreement=agreement)),
                subject="dotacja na pozycji budżetu",
            ),
            Target(Control, _pk(Control.objects.filter(agreement=agreement)), subject="kontrola"),
        ]
    return targets


def report_targets(report: GrantReport) -> list[Target]:
    return [Target(GrantReport, [report.pk], subject="sprawozdanie"), _messages(grant_report=report)]


def call_targets(call: OpenCall) -> list[Target]:
    return [
        Target(OpenCall, [call.pk], subject="konkurs"),
        Target(Commission, _pk(Commission.objects.filter(call=call)), subject="komisja konkursowa"),
    ]
