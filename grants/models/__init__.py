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

__all__ = [
    "Activity",
    "CallBudgetLine",
    "CostItem",
    "Criterion",
    "DefectNotice",
    "FormalReview",
    "JointOfferor",
    "Mode",
    "Offer",
    "OfferAttachment",
    "OfferVersion",
    "OpenCall",
    "RequiredAttachment",
    "Result",
]
