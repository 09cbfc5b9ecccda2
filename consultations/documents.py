"""The consultation report as its page and PDF show it (also what is frozen when it is published)."""

from .models import Consultation, ConsultationComment


def report_context(consultation: Consultation) -> dict:
    comments = list(consultation.comments.for_report())
    decisions = {value: 0 for value in ConsultationComment.Decision.values}
    for comment in comments:
        decisions[comment.decision] = decisions.get(comment.decision, 0) + 1
    organisations = {comment.organisation_id for comment in comments}
    return {
        "consultation": consultation,
        "comments": comments,
        "decision_counts": [(label, decisions[value]) for value, label in ConsultationComment.Decision.choices],
        "organisation_count": len(organisations),
    }
