from django.apps import AppConfig


def _member_joined(sender, *, user, **kwargs) -> None:
    from .tasks import conflicts_check_enqueue_for_user

    conflicts_check_enqueue_for_user(user.pk)


class GrantsConfig(AppConfig):
    name = "grants"
    verbose_name = "Konkursy, oferty i dotacje"

    def ready(self) -> None:
        from organisations.signals import member_joined

        # Joining an organisation that takes part in a call may put the person's commission seats in conflict.
        member_joined.connect(_member_joined, dispatch_uid="grants-conflicts-on-member-joined")

        from auditlog.registry import auditlog

        from .models import DefectNotice, FormalReview, Offer, OfferAttachment, OfferVersion, OpenCall

        auditlog.register(OpenCall)
        auditlog.register(Offer, exclude_fields=["revision", "updated_at"])
        auditlog.register(OfferVersion, exclude_fields=["data", "pdf"])
        auditlog.register(OfferAttachment)
        auditlog.register(FormalReview)
        auditlog.register(DefectNotice)

        from .models import Commission, CommissionMember, ImpartialityDeclaration, Score, ScoreCard

        auditlog.register(Commission)
        auditlog.register(CommissionMember)
        auditlog.register(ImpartialityDeclaration)
        auditlog.register(ScoreCard, exclude_fields=["updated_at"])
        auditlog.register(Score)

        from .models import (
            Agreement,
            AgreementBudgetLine,
            Annex,
            Appeal,
            Award,
            JustificationRequest,
            OfferUpdate,
            Tranche,
        )

        auditlog.register(Award)
        auditlog.register(OfferUpdate)
        auditlog.register(JustificationRequest)
        auditlog.register(Appeal)
        auditlog.register(Agreement)
        auditlog.register(Tranche)
        auditlog.register(AgreementBudgetLine)
        auditlog.register(Annex)

        from .models import Control, GrantReport, OwnInitiativeAssessment, Refund, SmallGrantPublication

        # Reports, refunds, controls and the steps of offers outside calls belong to the case's history too.
        auditlog.register(GrantReport, exclude_fields=["typed_input", "updated_at", "results"])
        auditlog.register(Refund)
        auditlog.register(Control)
        auditlog.register(SmallGrantPublication)
        auditlog.register(OwnInitiativeAssessment)

        from .models import local_initiative as li

        for model in (
            li.LocalInitiativeRules,
            li.LocalInitiativeCriterion,
            li.LocalInitiativeReserve,
            li.LocalInitiativeScore,
            li.LocalInitiativeAgreement,
            li.LocalInitiativeAnnex,
            li.LocalInitiativeExpense,
            li.LocalInitiativeReport,
        ):
            auditlog.register(model)
        auditlog.register(li.LocalInitiativeRequest, exclude_fields=["revision", "updated_at", "submitted_data"])
