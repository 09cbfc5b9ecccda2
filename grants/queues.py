"""Work queues for the home page of each role: what is waiting, by when, and the one link that opens the task.

Each queue is one selector: a queryset narrowed to what the person may act on (the office person's authorities,
the NGO person's organisations, the commission member's seats), its first ``LIMIT`` tasks and its count. A queue
costs two queries (the rows shown and their count) whatever the data, so a home page stays at a fixed number of
queries (pinned in tests/accounts/test_home.py at two sizes).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from config.polish import format_date, format_money, polish_plural
from config.statuses import Badge

from .limits import REPORT_DAYS
from .models import (
    Agreement,
    Appeal,
    Award,
    DefectNotice,
    GrantReport,
    JointOfferor,
    Offer,
    OfferUpdate,
    OpenCall,
    ScoreCard,
    Tranche,
)
from .models.small_grants import answer_due, publication_due
from .small_grant_rules import waiting_direct_offers

LIMIT = 8
# How far ahead a deadline counts as close, in days: tranches to transfer, marks of "zostało N dni".
SOON_DAYS = 7


@dataclass
class Task:
    title: str
    url: str
    detail: str = ""
    deadline: date | datetime | None = None
    deadline_label: str = "termin"
    mark: Badge | None = None

    @property
    def with_time(self) -> bool:
        return isinstance(self.deadline, datetime)


@dataclass
class Queue:
    key: str
    title: str
    tasks: list[Task] = field(default_factory=list)
    count: int = 0
    more_url: str | None = None
    empty: str = "Nic nie czeka."


def _days(count: int) -> str:
    return f"{count} {polish_plural(count, 'dzień', 'dni', 'dni')}"


def deadline_mark(deadline, now: datetime) -> Badge | None:
    """ "po terminie" once a deadline has passed, "zostało N dni" within ``SOON_DAYS``; nothing when far off."""
    if deadline is None:
        return None
    if isinstance(deadline, datetime):
        passed = deadline < now
        left = (timezone.localdate(deadline) - timezone.localdate(now)).days
    else:
        passed = deadline < timezone.localdate(now)
        left = (deadline - timezone.localdate(now)).days
    if passed:
        return Badge("danger", "po terminie")
    if left <= 0:
        return Badge("action", "termin dziś")
    if left <= SOON_DAYS:
        return Badge("action", f"zostało {_days(left)}")
    return None


def _local_date(moment: datetime) -> str:
    return format_date(timezone.localdate(moment))


def _task(title, url, *, detail="", deadline=None, label="termin", now, mark=True) -> Task:
    return Task(
        title=title or "(bez tytułu)",
        url=url,
        detail=detail,
        deadline=deadline,
        deadline_label=label,
        mark=deadline_mark(deadline, now) if mark else None,
    )


def _rows(queryset) -> tuple[list, int]:
    """The first ``LIMIT`` rows and how many there are (always counted: the same two queries at every size)."""
    return list(queryset[:LIMIT]), queryset.count()


def _queue(key, title, queryset, make, *, more_url=None, empty="Nic nie czeka.") -> Queue:
    rows, count = _rows(queryset)
    return Queue(key, title, [make(row) for row in rows], count, more_url, empty)


def _within(queryset, lookup: str, ids):
    """``ids`` None: everything (superuser); else the rows whose ``lookup`` is one of ``ids``."""
    return queryset if ids is None else queryset.filter(**{f"{lookup}__in": ids})


# --- office staff ------------------------------------------------------------------------------------------------


def offers_to_review(ids, now) -> Queue:
    offers = _within(
        Offer.objects.filter(
            kind=Offer.Kind.OPEN_CALL, status=Offer.Status.SUBMITTED, call__submission_deadline__lt=now
        )
        .exclude(call__status__in=[OpenCall.Status.DRAFT, OpenCall.Status.ANNULLED])
        .select_related("call", "organisation", "current_version"),
        "call__authority_id",
        ids,
    ).order_by("call__decision_date", "call_id", "current_version__submitted_at", "pk")
    return _queue(
        "offers",
        "Oferty do oceny formalnej",
        offers,
        lambda offer: _task(
            offer.title,
            reverse("grants:offer-review", args=[offer.pk]),
            detail=f"{offer.organisation.name} · konkurs {offer.call.number}",
            deadline=offer.call.decision_date,
            label="wybór ofert do",
            now=now,
        ),
        more_url=reverse("grants:staff-call-list"),
        empty="Żadna oferta nie czeka na ocenę formalną.",
    )


def defect_notices_running(ids, now) -> Queue:
    notices = _within(
        DefectNotice.objects.filter(resolved_by__isnull=True, offer__status=Offer.Status.DEFECT_NOTICE).select_related(
            "offer__organisation", "offer__call"
        ),
        "offer__call__authority_id",
        ids,
    ).order_by("deadline", "pk")
    return _queue(
        "defects",
        "Wezwania do uzupełnienia braków w biegu",
        notices,
        lambda notice: _task(
            notice.offer.title,
            reverse("grants:offer-review", args=[notice.offer_id]),
            detail=f"{notice.offer.organisation.name} · konkurs {notice.offer.call.number}",
            deadline=notice.deadline,
            label="uzupełnienie do",
            now=now,
        ),
        empty="Brak wezwań w biegu.",
    )


def updates_waiting(ids, now) -> Queue:
    updates = _within(
        OfferUpdate.objects.filter(status=OfferUpdate.Status.SUBMITTED).select_related(
            "award__offer__organisation", "award__call", "version"
        ),
        "award__call__authority_id",
        ids,
    ).order_by("version__submitted_at", "pk")
    return _queue(
        "updates",
        "Aktualizacje ofert do przyjęcia",
        updates,
        lambda update: _task(
            update.award.offer.title,
            reverse("grants:update-review", args=[update.pk]),
            detail=f"{update.award.offer.organisation.name} · konkurs {update.award.call.number}",
            deadline=update.version.submitted_at if update.version else None,
            label="złożono",
            now=now,
            mark=False,
        ),
        empty="Brak aktualizacji do przyjęcia.",
    )


def reports_waiting(ids, now) -> Queue:
    reports = _within(
        GrantReport.objects.filter(status=GrantReport.Status.SUBMITTED).select_related("agreement__organisation"),
        "agreement__authority_id",
        ids,
    ).order_by("submitted_at", "pk")
    return _queue(
        "reports",
        "Sprawozdania do oceny",
        reports,
        lambda report: _task(
            f"{report.get_kind_display().capitalize()} – umowa nr {report.agreement.number}",
            reverse("grants:settlement", args=[report.agreement_id]),
            detail=report.agreement.organisation.name,
            deadline=report.submitted_at,
            label="złożono",
            now=now,
            mark=False,
        ),
        more_url=reverse("grants:staff-grant-reports"),
        empty="Żadne sprawozdanie nie czeka na ocenę.",
    )


def direct_offers_due(ids, now) -> tuple[Queue, Queue]:
    """Small grants to publish within 7 working days of receipt (art. 19a ust. 3) and own-initiative offers to
    answer within a month (art. 12 ust. 2): one query for both, the nearest deadline first."""
    small, own = [], []
    for offer in waiting_direct_offers(ids):
        if offer.first_submitted_at is None:
            continue
        received = timezone.localdate(offer.first_submitted_at)
        if offer.kind == Offer.Kind.SMALL_GRANT:
            small.append((publication_due(received), offer))
        else:
            own.append((answer_due(received), offer))
    queues = []
    for key, title, rows, label, empty in (
        ("small_grants", "Małe granty do opublikowania (7 dni roboczych)", small, "publikacja do", "Brak ofert."),
        (
            "own_initiative",
            "Oferty z własnej inicjatywy do rozpatrzenia (1 miesiąc)",
            own,
            "odpowiedź do",
            "Brak ofert.",
        ),
    ):
        rows.sort(key=lambda row: (row[0], row[1].pk))
        tasks = [
            _task(
                offer.title,
                reverse("grants:small-grant-case", args=[offer.pk]),
                detail=f"{offer.organisation.name} · wpłynęła {_local_date(offer.first_submitted_at)}",
                deadline=due,
                label=label,
                now=now,
            )
            for due, offer in rows[:LIMIT]
        ]
        queues.append(Queue(key, title, tasks, len(rows), reverse("grants:small-grant-staff-list"), empty))
    return queues[0], queues[1]


def appeals_waiting(ids, now) -> Queue:
    appeals = Appeal.objects.filter(status__in=[Appeal.Status.FILED, Appeal.Status.RESCORING]).select_related(
        "offer__organisation", "offer__call__programme"
    )
    if ids is not None:
        appeals = appeals.filter(Q(offer__call__authority_id__in=ids) | Q(offer__direct__authority_id__in=ids))
    appeals = appeals.order_by("filed_at", "pk")

    def make(appeal: Appeal) -> Task:
        offer = appeal.offer
        if offer.call_id:
            due = appeal.filed_at + timedelta(days=offer.call.programme.appeal_decision_days)
            return _task(
                offer.title,
                reverse("grants:call-decision", args=[offer.call_id]) + "#odwolania",
                detail=f"{offer.organisation.name} · konkurs {offer.call.number} · {appeal.get_status_display()}",
                deadline=due,
                label="rozpatrzenie do",
                now=now,
            )
        return _task(
            offer.title,
            reverse("grants:small-grant-case", args=[offer.pk]),
            detail=f"{offer.organisation.name} · mała dotacja · złożone {_local_date(appeal.filed_at)}",
            now=now,
        )

    return _queue("appeals", "Odwołania do rozpatrzenia", appeals, make, empty="Brak odwołań do rozpatrzenia.")


def agreements_to_sign(ids, now) -> Queue:
    """Draft agreements to sign, then granted awards still without an agreement (after an accepted update)."""
    drafts = _within(
        Agreement.objects.filter(status=Agreement.Status.DRAFT).select_related("organisation"), "authority_id", ids
    ).order_by("start_date", "pk")
    awards = Award.objects.filter(status=Award.Status.GRANTED, agreement__isnull=True).filter(
        Q(offer_update__isnull=True) | Q(offer_update__status=OfferUpdate.Status.ACCEPTED),
        Q(call__isnull=True) | Q(call__results_published_at__isnull=False),
    )
    if ids is not None:
        awards = awards.filter(
            Q(call__authority_id__in=ids) | Q(call__isnull=True, offer__direct__authority_id__in=ids)
        )
    awards = awards.select_related("offer__organisation", "call").order_by("decided_at", "pk")
    queue = _queue(
        "agreements",
        "Umowy do przygotowania i podpisania",
        drafts,
        lambda agreement: _task(
            f"Umowa nr {agreement.number} – projekt do podpisania",
            reverse("grants:agreement-detail", args=[agreement.pk]),
            detail=f"{agreement.organisation.name} · {agreement.title}",
            deadline=agreement.start_date,
            label="realizacja od",
            now=now,
        ),
        more_url=reverse("grants:agreement-list"),
        empty="Brak umów do przygotowania ani podpisania.",
    )
    award_rows, award_count = _rows(awards)
    queue.tasks = (
        queue.tasks
        + [
            _task(
                award.offer.title,
                reverse("grants:agreement-create", args=[award.pk]),
                detail=f"{award.offer.organisation.name} · "
                + (f"konkurs {award.call.number}" if award.call_id else "mała dotacja")
                + " · umowa do przygotowania",
                now=now,
            )
            for award in award_rows
        ]
    )[:LIMIT]
    queue.count += award_count
    return queue


def tranches_due(ids, now) -> Queue:
    today = timezone.localdate(now)
    tranches = _within(
        Tranche.objects.unpaid()
        .filter(agreement__status=Agreement.Status.SIGNED, due_date__lte=today + timedelta(days=SOON_DAYS))
        .select_related("agreement__organisation"),
        "agreement__authority_id",
        ids,
    ).order_by("due_date", "agreement__number", "number")
    return _queue(
        "tranches",
        "Transze do przekazania",
        tranches,
        lambda tranche: _task(
            f"Transza {tranche.number} – umowa nr {tranche.agreement.number}: {format_money(tranche.amount)}",
            reverse("grants:agreement-detail", args=[tranche.agreement_id]) + "#transze",
            detail=tranche.agreement.organisation.name,
            deadline=tranche.due_date,
            label="przekazanie do",
            now=now,
        ),
        more_url=reverse("grants:payment-list"),
        empty="Żadna transza nie jest wymagalna w najbliższych dniach.",
    )


def _final_report_in(statuses):
    return GrantReport.objects.filter(agreement=OuterRef("pk"), kind=GrantReport.Kind.FINAL, status__in=statuses)


def reports_overdue(ids, now) -> Queue:
    """Agreements whose final report is more than 30 days after the end of the task and not submitted (art. 18)."""
    today = timezone.localdate(now)
    agreements = (
        _within(
            # Agreements imported from earlier years keep their reports in the office's files.
            Agreement.objects.filter(
                status=Agreement.Status.SIGNED,
                end_date__lt=today - timedelta(days=REPORT_DAYS),
                import_batch__isnull=True,
            ),
            "authority_id",
            ids,
        )
        .exclude(Exists(_final_report_in([GrantReport.Status.SUBMITTED, GrantReport.Status.ACCEPTED])))
        .select_related("organisation")
        .order_by("end_date", "pk")
    )
    return _queue(
        "reports_overdue",
        "Sprawozdania po terminie",
        agreements,
        lambda agreement: _task(
            f"Umowa nr {agreement.number}",
            reverse("grants:settlement", args=[agreement.pk]),
            detail=f"{agreement.organisation.name} · {agreement.title}",
            deadline=agreement.report_due,
            label="sprawozdanie do",
            now=now,
        ),
        more_url=reverse("grants:staff-grant-reports"),
        empty="Brak zaległych sprawozdań.",
    )


def staff_queues(ids, now=None) -> list[Queue]:
    """The office person's work queue, filtered to their authorities (``ids``; ``None`` for a superuser)."""
    now = now or timezone.now()
    small_grants, own_initiative = direct_offers_due(ids, now)
    return [
        offers_to_review(ids, now),
        defect_notices_running(ids, now),
        updates_waiting(ids, now),
        reports_waiting(ids, now),
        small_grants,
        appeals_waiting(ids, now),
        own_initiative,
        agreements_to_sign(ids, now),
        tranches_due(ids, now),
        reports_overdue(ids, now),
    ]


# --- NGO --------------------------------------------------------------------------------------------------------


def _offer_url(offer: Offer) -> str:
    name = "grants:offer-edit" if offer.kind == Offer.Kind.OPEN_CALL else "grants:small-grant-edit"
    return reverse(name, args=[offer.pk])


def ngo_drafts(org_ids, now) -> Queue:
    drafts = (
        Offer.objects.filter(organisation_id__in=org_ids, status=Offer.Status.DRAFT)
        .filter(Q(call__isnull=True) | Q(call__status=OpenCall.Status.PUBLISHED, call__submission_deadline__gte=now))
        .select_related("call", "organisation")
        .order_by("call__submission_deadline", "-updated_at", "pk")
    )
    return _queue(
        "drafts",
        "Oferty w przygotowaniu",
        drafts,
        lambda offer: _task(
            offer.title,
            _offer_url(offer),
            detail=offer.organisation.name
            + (f" · konkurs {offer.call.number}" if offer.call_id else f" · {offer.get_kind_display()}"),
            deadline=offer.call.submission_deadline if offer.call_id else None,
            label="złożenie do",
            now=now,
        ),
        more_url=reverse("grants:my-offers"),
        empty="Nie masz ofert w przygotowaniu.",
    )


def ngo_defect_notices(org_ids, now) -> Queue:
    notices = (
        DefectNotice.objects.filter(
            offer__organisation_id__in=org_ids, resolved_by__isnull=True, offer__status=Offer.Status.DEFECT_NOTICE
        )
        .select_related("offer__organisation", "offer__call", "review")
        .order_by("deadline", "pk")
    )
    return _queue(
        "defects",
        "Wezwania do uzupełnienia braków",
        notices,
        lambda notice: _task(
            notice.offer.title,
            reverse("grants:offer-edit", args=[notice.offer_id]),
            detail=f"{notice.offer.organisation.name} · {notice.review.reasons[:200]}",
            deadline=notice.deadline,
            label="uzupełnij do",
            now=now,
        ),
        empty="Brak wezwań.",
    )


def ngo_updates(org_ids, now) -> Queue:
    updates = (
        OfferUpdate.objects.filter(
            award__offer__organisation_id__in=org_ids,
            status__in=[OfferUpdate.Status.REQUIRED, OfferUpdate.Status.RETURNED],
            award__call__results_published_at__isnull=False,
        )
        .select_related("award__offer__organisation", "award__call")
        .order_by("created_at", "pk")
    )
    return _queue(
        "updates",
        "Oferty do zaktualizowania po przyznaniu dotacji",
        updates,
        lambda update: _task(
            update.award.offer.title,
            reverse("grants:offer-edit", args=[update.award.offer_id]),
            detail=f"{update.award.offer.organisation.name} · przyznano {format_money(update.award.amount)}"
            + (" · zwrócona do poprawy" if update.status == OfferUpdate.Status.RETURNED else ""),
            now=now,
        ),
        empty="Żadna oferta nie wymaga aktualizacji.",
    )


def ngo_reports(org_ids, now) -> Queue:
    """Final reports due (the task has ended) or overdue, and reports returned for correction; the overdue first."""
    today = timezone.localdate(now)
    agreements = (
        Agreement.objects.filter(
            organisation_id__in=org_ids, status=Agreement.Status.SIGNED, end_date__lte=today, import_batch__isnull=True
        )
        .exclude(Exists(_final_report_in([GrantReport.Status.SUBMITTED, GrantReport.Status.ACCEPTED])))
        .select_related("organisation")
        .prefetch_related("grant_reports")
        .order_by("end_date", "pk")
    )

    def make(agreement: Agreement) -> Task:
        final = next((r for r in agreement.grant_reports.all() if r.kind == GrantReport.Kind.FINAL), None)
        due = final.due_date if final else agreement.report_due
        task = _task(
            f"Sprawozdanie końcowe – umowa nr {agreement.number}",
            reverse("grants:grant-report-edit", args=[final.pk]) if final else reverse("grants:my-grant-reports"),
            detail=f"{agreement.organisation.name} · {agreement.title}"
            + (" · zwrócone do poprawy" if final and final.status == GrantReport.Status.RETURNED else ""),
            deadline=due,
            label="złożenie do",
            now=now,
        )
        if due < today:
            task.mark = Badge("danger", f"po terminie {_days((today - due).days)}")
        return task

    return _queue(
        "reports",
        "Sprawozdania do złożenia",
        agreements,
        make,
        more_url=reverse("grants:my-grant-reports"),
        empty="Nie masz sprawozdań do złożenia.",
    )


def ngo_agreements(org_ids, now) -> Queue:
    agreements = (
        Agreement.objects.filter(organisation_id__in=org_ids, status=Agreement.Status.DRAFT)
        .select_related("organisation")
        .order_by("start_date", "pk")
    )
    return _queue(
        "agreements",
        "Umowy do podpisania",
        agreements,
        lambda agreement: _task(
            f"Umowa nr {agreement.number}",
            reverse("grants:agreement-detail", args=[agreement.pk]),
            detail=f"{agreement.organisation.name} · {agreement.title} · {format_money(agreement.grant_amount)}",
            deadline=agreement.start_date,
            label="realizacja od",
            now=now,
        ),
        empty="Brak umów do podpisania.",
    )


def ngo_consents(admin_org_ids, now) -> Queue:
    from .services.joint_offers import CONSENT_STATUSES

    partners = (
        JointOfferor.objects.filter(
            organisation_id__in=admin_org_ids, confirmed_at__isnull=True, offer__status__in=CONSENT_STATUSES
        )
        .select_related("organisation", "offer__organisation", "offer__call")
        .order_by("offer__call__submission_deadline", "pk")
    )
    return _queue(
        "consents",
        "Oferty wspólne do potwierdzenia",
        partners,
        lambda partner: _task(
            partner.offer.title,
            reverse("grants:joint-consent", args=[partner.pk]),
            detail=f"{partner.offer.organisation.name} wskazuje {partner.organisation.name} jako oferenta wspólnego",
            deadline=partner.offer.call.submission_deadline if partner.offer.call_id else None,
            label="złożenie oferty do",
            now=now,
        ),
        empty="Brak ofert wspólnych do potwierdzenia.",
    )


def ngo_queues(org_ids, admin_org_ids, now=None) -> list[Queue]:
    """The NGO person's to-dos across their organisations."""
    now = now or timezone.now()
    return [
        ngo_defect_notices(org_ids, now),
        ngo_reports(org_ids, now),
        ngo_updates(org_ids, now),
        ngo_agreements(org_ids, now),
        ngo_drafts(org_ids, now),
        ngo_consents(admin_org_ids, now),
    ]


# --- commission members -----------------------------------------------------------------------------------------


def commission_cards(user, now=None) -> Queue:
    """Score cards the member still has to fill in, on seats they declared impartiality for."""
    from .models import Commission

    now = now or timezone.now()
    cards = (
        ScoreCard.objects.filter(
            member__user=user,
            member__excluded_at__isnull=True,
            member__declaration__isnull=False,
            member__commission__status=Commission.Status.SCORING,
        )
        .exclude(status=ScoreCard.Status.SUBMITTED)
        .select_related("offer__organisation", "member__commission__call")
        .order_by("member__commission__call__decision_date", "pk")
    )
    return _queue(
        "cards",
        "Karty oceny do wypełnienia",
        cards,
        lambda card: _task(
            card.offer.title,
            reverse("grants:score-card", args=[card.pk]),
            detail=f"{card.offer.organisation.name} · konkurs {card.member.commission.call.number}",
            deadline=card.member.commission.call.decision_date,
            label="wybór ofert do",
            now=now,
        ),
        more_url=reverse("grants:commission-home"),
        empty="Nie masz kart do wypełnienia.",
    )
