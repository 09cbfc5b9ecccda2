from .agreements import Agreement, AgreementBudgetLine, AgreementCostLine, Annex, Tranche
from .awards import Appeal, Award, JustificationRequest, OfferUpdate
from .calls import CallBudgetLine, Criterion, Mode, OpenCall, RequiredAttachment
from .grant_reports import Control, ControlPlan, GrantReport, GrantReportLine, Refund
from .numbering import NumberSequence
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
from .scoring import Commission, CommissionMember, ConflictNotice, ImpartialityDeclaration, Score, ScoreCard
from .small_grants import (
    DirectOffer,
    OwnInitiativeAssessment,
    PublicComment,
    SmallGrantLimits,
    SmallGrantPublication,
)

__all__ = [
    "Activity",
    "Agreement",
    "AgreementBudgetLine",
    "AgreementCostLine",
    "Annex",
    "Appeal",
    "Award",
    "CallBudgetLine",
    "Commission",
    "CommissionMember",
    "ConflictNotice",
    "Control",
    "ControlPlan",
    "CostItem",
    "Criterion",
    "NumberSequence",
    "DefectNotice",
    "DirectOffer",
    "FormalReview",
    "GrantReport",
    "GrantReportLine",
    "ImpartialityDeclaration",
    "JointOfferor",
    "JustificationRequest",
    "Mode",
    "Offer",
    "OfferAttachment",
    "OfferUpdate",
    "OfferVersion",
    "OpenCall",
    "OwnInitiativeAssessment",
    "PublicComment",
    "Refund",
    "RequiredAttachment",
    "Result",
    "Score",
    "ScoreCard",
    "SmallGrantLimits",
    "SmallGrantPublication",
    "Tranche",
]
