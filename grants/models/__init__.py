from .agreements import Agreement, AgreementCostLine, Annex, Tranche
from .awards import Appeal, Award, JustificationRequest, OfferUpdate
from .calls import CallBudgetLine, Criterion, Mode, OpenCall, RequiredAttachment
from .offers import (
    Activity,
    CostItem,
    DefectNotice,
    FormalReview,
    JointOfferor,
    Offer,
    OfferAttachment,
    OfferVersion,
    Result,
)
from .scoring import Commission, CommissionMember, ImpartialityDeclaration, Score, ScoreCard

__all__ = [
    "Activity",
    "Agreement",
    "AgreementCostLine",
    "Annex",
    "Appeal",
    "Award",
    "CallBudgetLine",
    "Commission",
    "CommissionMember",
    "CostItem",
    "Criterion",
    "DefectNotice",
    "FormalReview",
    "ImpartialityDeclaration",
    "JointOfferor",
    "JustificationRequest",
    "Mode",
    "Offer",
    "OfferAttachment",
    "OfferUpdate",
    "OfferVersion",
    "OpenCall",
    "RequiredAttachment",
    "Result",
    "Score",
    "ScoreCard",
    "Tranche",
]
