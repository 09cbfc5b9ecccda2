"""The commission: staff compose it and read the ranking and protocol; members declare and score; NGOs read
their scores once the results are published. Every queryset starts from what the person may see (404 otherwise).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Avg, Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.views.decorators.http import require_http_methods, require_POST

from accounts.mail import site_url
from accounts.permissions import is_authority_staff, staff_required
from config.confirm import Confirmation, confirmation_page, is_confirmed, is_going_back
from config.forms import apply_validation_error
from grants.correspondence.selectors import home_correspondence
from organisations.models import Organisation
from reports.corrections import correction_url
from reports.models import Publication
from reports.publication_views import frozen_context, frozen_pdf_response
from reports.rendering import pdf_when_ready

from ..exports import ranking_response
from ..forms.commission import (
    AppointForm,
    ChairForm,
    CommissionRulesForm,
    DeclarationForm,
    ExcludeForm,
    ProposalForm,
    ScoreCardForm,
)
from ..models import Commission, CommissionMember, Criterion, Offer, OpenCall, ScoreCard
from ..permissions import (
    commission_reading_seat,
    managed_calls,
    my_commission_seats,
    my_score_cards,
    offers_with_published_results,
    scores_withheld,
)
from ..queues import commission_cards
from ..ranking import call_ranking, criterion_means
from ..services import protocol, scoring

S = Commission.Status
SUBMITTED = ScoreCard.Status.SUBMITTED


def _managed_call(request, pk: int):
    return get_object_or_404(managed_calls(request).select_related("authority", "programme").with_funds(), pk=pk)


def _readable_call(request, pk: int) -> tuple[OpenCall, CommissionMember | None]:
    """The call whose ranking and protocol the person reads: as staff of its authority (seat ``None``), or as a
    declared, non-excluded member of its commission (their seat). Anyone else gets 404."""
    if is_authority_staff(request):
        call = managed_calls(request).select_related("authority", "programme").with_funds().filter(pk=pk).first()
        if call is not None:
            return call, None
    seat = commission_reading_seat(request, pk)
    if seat is None:
        raise Http404
    calls = OpenCall.objects.select_related("authority", "programme").with_funds()
    return calls.get(pk=pk), seat


def _members(commission: Commission) -> list[CommissionMember]:
    return list(
        commission.members.select_related("user", "nominated_by", "declaration").annotate(
            cards_total=Count("cards"), cards_submitted=Count("cards", filter=Q(cards__status=SUBMITTED))
        )
    )


# --- staff ---------------------------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def commission_manage(request, pk: int):
    """One page for the composition: rules, appointments, chair, exclusions, start of scoring."""
    call = _managed_call(request, pk)
    commission = Commission.objects.filter(call=call).first()
    action = request.POST.get("action") if request.method == "POST" else None
    rules_form = CommissionRulesForm(request.POST if action == "rules" else None, instance=commission)
    participating = scoring.participating_organisation_ids(call)
    organisations = Organisation.objects.active().exclude(pk__in=participating).order_by("name")
    appoint_form = AppointForm(request.POST if action == "appoint" else None, organisations=organisations)
    chair_form = ChairForm(request.POST if action == "chair" else None, commission=commission) if commission else None
    exclude_errors: dict[int, list[str]] = {}
    try:
        if action == "rules" and rules_form.is_valid():
            data = {field: rules_form.cleaned_data[field] for field in scoring.RULE_FIELDS}
            if commission is None:
                scoring.commission_create(call=call, actor=request.user, **data)
                messages.success(request, "Powołano komisję konkursową. Dodaj jej członków.")
            else:
                scoring.commission_update_rules(commission=commission, actor=request.user, **data)
                messages.success(request, "Zapisano zasady pracy komisji.")
            return redirect("grants:commission-manage", pk=call.pk)
        if commission is not None and action == "appoint" and appoint_form.is_valid():
            data = appoint_form.cleaned_data
            member = scoring.member_appoint(
                commission=commission,
                actor=request.user,
                email=data["email"],
                first_name=data["first_name"],
                last_name=data["last_name"],
                capacity=data["capacity"],
                nominated_by=data["nominated_by"],
                is_chair=data["is_chair"],
                site_url=site_url(request),
            )
            messages.success(request, f"Powołano do komisji: {member.user.get_full_name() or member.user.email}.")
            return redirect("grants:commission-manage", pk=call.pk)
        if commission is not None and action == "chair" and chair_form.is_valid():
            scoring.chair_set(commission=commission, member=chair_form.cleaned_data["member"], actor=request.user)
            messages.success(request, "Wskazano przewodniczącego komisji.")
            return redirect("grants:commission-manage", pk=call.pk)
        if commission is not None and action in ("remove", "exclude"):
            member = get_object_or_404(commission.members, pk=request.POST.get("member"))
            if action == "remove":
                scoring.member_remove(member=member, actor=request.user)
                messages.success(request, "Usunięto osobę ze składu komisji.")
                return redirect("grants:commission-manage", pk=call.pk)
            form = ExcludeForm(request.POST)
            if form.is_valid():
                scoring.member_exclude(member=member, actor=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, "Wyłączono członka z prac komisji.")
                return redirect("grants:commission-manage", pk=call.pk)
            exclude_errors[member.pk] = form.errors.get("reason", [])
        if action == "to-commission":
            scoring.call_to_commission(call=call, actor=request.user)
            messages.success(request, "Oferty przekazano komisji do oceny merytorycznej.")
            return redirect("grants:commission-manage", pk=call.pk)
        if commission is not None and action == "start":
            resumed = commission.status == S.RECOMPOSE
            scoring.scoring_start(commission=commission, actor=request.user)
            messages.success(request, "Wznowiono ocenę ofert." if resumed else "Rozpoczęto ocenę merytoryczną ofert.")
            return redirect("grants:commission-manage", pk=call.pk)
    except ValidationError as error:
        form = {"rules": rules_form, "appoint": appoint_form, "chair": chair_form}.get(action)
        if form is not None:
            apply_validation_error(form, error)
        else:
            for message in error.messages:
                messages.error(request, message)
    context = {"call": call, "commission": commission, "rules_form": rules_form}
    if commission is not None:
        members = _members(commission)
        conflicts = scoring.conflicted_member_ids(commission, members)
        for member in members:
            member.possible_conflicts = conflicts.get(member.pk, [])
            member.exclude_errors = exclude_errors.get(member.pk, [])
        context.update(
            members=members,
            appoint_form=appoint_form,
            chair_form=chair_form,
            blockers=scoring.composition_errors(commission, members),
            has_chair=any(m.is_chair for m in members),
            excluded_count=sum(1 for m in members if m.is_excluded),
            scorable_count=scoring.scorable_offers(call).count(),
            pending_formal=scoring.pending_formal_offers(call).count(),
        )
    return render(request, "grants/commission/manage.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def commission_ranking(request, pk: int):
    call, seat = _readable_call(request, pk)
    ranking = call_ranking(call)
    commission = ranking.commission
    if seat_id := scores_withheld(request, commission):
        return withheld_redirect(request, seat_id)
    can_propose = (
        seat is None
        and commission is not None
        and commission.status == S.CLOSED
        and call.status == call.Status.COMMISSION_REVIEW
    )
    form = ProposalForm(request.POST or None, rows=ranking.eligible_rows) if can_propose else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            scoring.award_propose(call=call, amounts=form.amounts(), actor=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Zapisano proponowane kwoty dotacji.")
            return redirect("grants:commission-ranking", pk=call.pk)
    return render(
        request,
        "grants/commission/ranking.html",
        {
            "call": call,
            "ranking": ranking,
            "commission": commission,
            "form": form,
            "lines": [(row, form.field_for(row) if form and row.eligible else None) for row in ranking.rows],
            "seat": seat,
        },
    )


@login_required
def ranking_export(request, pk: int, fmt: str):
    """The ranking as a spreadsheet, for whoever may read the ranking page."""
    call, _seat = _readable_call(request, pk)
    ranking = call_ranking(call)
    if seat_id := scores_withheld(request, ranking.commission):
        return withheld_redirect(request, seat_id)
    return ranking_response(ranking, fmt)


WITHHELD = "Zasiadasz w komisji tego konkursu: oceny innych członków zobaczysz po złożeniu wszystkich swoich kart."


def withheld_redirect(request, seat_id: int):
    messages.warning(request, WITHHELD)
    return redirect("grants:commission-seat", pk=seat_id)


def _protocol_context(call) -> dict:
    ranking = call_ranking(call)
    commission = ranking.commission
    if commission is None:
        raise Http404
    members = _members(commission)
    counted = ScoreCard.objects.counted().filter(offer__call=call)
    remarks: dict[int, list[str]] = {}
    for offer_id, text in (
        counted.exclude(remarks="").order_by("offer_id", "member_id").values_list("offer_id", "remarks")
    ):
        remarks.setdefault(offer_id, []).append(text)
    criteria = list(Criterion.objects.filter(call=call))
    means = criterion_means(counted)
    rows = [
        {
            "row": row,
            "remarks": remarks.get(row.offer.pk, []),
            "criteria": [(c, means.get((row.offer.pk, c.pk))) for c in criteria],
        }
        for row in ranking.rows
    ]
    return {
        "call": call,
        "commission": commission,
        "ranking": ranking,
        "rows": rows,
        "criteria": criteria,
        "members": members,
        "active_members": [m for m in members if not m.is_excluded],
        "excluded_members": [m for m in members if m.is_excluded],
        "submitted_count": Offer.objects.filter(call=call).submitted().count(),
        "task_areas": list(call.task_areas.all()),
        "today": timezone.localdate(),
    }


protocol_context = _protocol_context  # also what is frozen when the results are announced (reports.publications)


def _frozen_protocol(commission) -> dict:
    """The protocol as frozen when the results were announced, with its change register (empty before)."""
    current = Publication.objects.current(Publication.Kind.PROTOCOL, commission.pk)
    return frozen_context(current) if current else {}


def _protocol_or_redirect(request, pk: int):
    call, seat = _readable_call(request, pk)
    if seat_id := scores_withheld(request, Commission.objects.filter(call=call).first()):
        return None, withheld_redirect(request, seat_id)
    context = _protocol_context(call)
    context["seat"] = seat
    context["may_sign"] = protocol.protocol_signing_error(context["commission"], request.user) is None
    context["correct_url"] = correction_url(
        request, Publication.Kind.PROTOCOL, context["commission"].pk, call.authority_id
    )
    return context, None


@login_required
@require_http_methods(["GET", "POST"])
def commission_protocol(request, pk: int):
    context, withheld = _protocol_or_redirect(request, pk)
    if withheld:
        return withheld
    if request.method == "POST" and not is_going_back(request):
        commission = context["commission"]
        if not context["may_sign"]:
            messages.error(request, protocol.protocol_signing_error(commission, request.user))
            return redirect("grants:commission-protocol", pk=pk)
        if not is_confirmed(request):
            return confirmation_page(
                request,
                Confirmation(
                    title=f"Podpisz protokół komisji – konkurs {context['call'].number}",
                    action="podpisuję protokół",
                    consequences=[
                        "Protokół w obecnym brzmieniu zostanie oznaczony jako podpisany przez Ciebie jako "
                        "przewodniczącego komisji, z datą i godziną; podpis trafi do dziennika zmian.",
                        "Protokół i ranking przestaną być wersją roboczą – urząd przekaże je do rozstrzygnięcia.",
                    ],
                    notified=["Nikt nie dostaje wiadomości; urząd widzi podpis na stronie protokołu."],
                ),
            )
        try:
            protocol.protocol_sign(commission=commission, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Podpisano protokół komisji.")
        return redirect("grants:commission-protocol", pk=pk)
    context.update(_frozen_protocol(context["commission"]))
    return render(request, "grants/commission/protocol.html", context)


@login_required
def commission_protocol_pdf(request, pk: int):
    context, withheld = _protocol_or_redirect(request, pk)
    if withheld:
        return withheld
    filename = f"protokol-komisji-{context['call'].number.replace('/', '-')}.pdf"
    if current := Publication.objects.current(Publication.Kind.PROTOCOL, context["commission"].pk):
        return frozen_pdf_response(request, current, filename)
    # Laid out by the background worker; the same protocol is then served from storage.
    return pdf_when_ready(request, "grants/commission/protocol_pdf.html", context, filename)


# --- commission members --------------------------------------------------------------------------------------


@login_required
def commission_home(request):
    """Moja komisja: the calls I sit on, with my progress."""
    seats = (
        my_commission_seats(request)
        .select_related("commission__call", "declaration")
        .annotate(cards_total=Count("cards"), cards_submitted=Count("cards", filter=Q(cards__status=SUBMITTED)))
        .order_by("-commission__created_at", "pk")
    )
    cards = commission_cards(request.user)
    queues = [cards] if cards.count else []
    return render(
        request,
        "grants/commission/home.html",
        {"seats": seats, "queues": queues, "inbox": home_correspondence(request)},
    )


def _my_seat(request, pk: int) -> CommissionMember:
    return get_object_or_404(
        my_commission_seats(request).select_related("commission__call", "declaration", "user"), pk=pk
    )


@login_required
@require_http_methods(["GET", "POST"])
def commission_seat(request, pk: int):
    """My cards in one call; for the chair also everybody's progress, reopening and closing."""
    seat = _my_seat(request, pk)
    commission = seat.commission
    if not seat.is_excluded and not hasattr(seat, "declaration"):
        return redirect("grants:commission-declaration", pk=seat.pk)
    is_chair = seat.is_chair and not seat.is_excluded
    if request.method == "POST" and not is_going_back(request):
        if not is_chair:
            raise Http404
        try:
            if not is_confirmed(request):
                if missing := scoring.missing_cards(commission):
                    raise ValidationError("Nie wszystkie karty zostały złożone. Brakuje kart: " + "; ".join(missing))
                return confirmation_page(
                    request,
                    Confirmation(
                        title=f"Zamknij ocenę ofert – konkurs {commission.call.number}",
                        action="zamknij ocenę",
                        consequences=[
                            "Ocena merytoryczna zostanie zakończona: żadnej karty nie będzie można już otworzyć ani "
                            "zmienić.",
                            "Ranking ofert stanie się ostateczny; urząd zaproponuje kwoty dotacji, a Ty podpiszesz "
                            "protokół.",
                        ],
                        notified=["Nikt nie dostaje wiadomości; urząd widzi zakończenie oceny na stronie komisji."],
                    ),
                )
            scoring.scoring_close(commission=commission, actor=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Ocena zakończona. Urząd przygotuje protokół i ranking.")
        return redirect("grants:commission-seat", pk=seat.pk)
    cards, others, matrix = [], {}, None
    if not seat.is_excluded:
        cards = list(
            seat.cards.select_related("offer__organisation", "offer__current_version").order_by(
                "offer__organisation__name", "offer_id"
            )
        )
        mine_submitted = [card.offer_id for card in cards if card.status == SUBMITTED]
        for card in (
            ScoreCard.objects.filter(
                offer__in=mine_submitted, member__commission=commission, status=SUBMITTED, member__excluded_at=None
            )
            .exclude(member=seat)
            .select_related("member__user")
            .order_by("member__user__last_name", "pk")
        ):
            others.setdefault(card.offer_id, []).append(card)
        for card in cards:
            card.others = others.get(card.offer_id, [])
        if is_chair:
            matrix = _progress_matrix(commission, cards)
    return render(
        request,
        "grants/commission/seat.html",
        {
            "seat": seat,
            "commission": commission,
            "call": commission.call,
            "cards": cards,
            "is_chair": is_chair,
            "matrix": matrix,
            "can_score": not seat.is_excluded and commission.status == S.SCORING,
            "reads_ranking": bool(cards) and all(card.status == SUBMITTED for card in cards),
        },
    )


def _progress_matrix(commission: Commission, my_cards: list[ScoreCard]) -> dict:
    """The chair's view of progress: status only (never points) of every card, members × offers, and why a member
    cannot score (a conflict of interest the portal sees now)."""
    members = list(commission.members.active().select_related("user"))
    conflicts = scoring.conflicted_member_ids(commission, members)
    for member in members:
        member.possible_conflicts = conflicts.get(member.pk, [])
    cards = {
        (card.member_id, card.offer_id): card
        for card in ScoreCard.objects.filter(member__commission=commission).only(
            "pk", "member_id", "offer_id", "status", "reopened_count"
        )
    }
    offers = [card.offer for card in my_cards]
    return {
        "offers": offers,
        "rows": [(member, [cards.get((member.pk, offer.pk)) for offer in offers]) for member in members],
    }


@login_required
@require_http_methods(["GET", "POST"])
def commission_declaration(request, pk: int):
    seat = _my_seat(request, pk)
    if hasattr(seat, "declaration") or seat.is_excluded:
        return redirect("grants:commission-seat", pk=seat.pk)
    call = seat.commission.call
    form = DeclarationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            declaration = scoring.declaration_sign(
                member=seat,
                actor=request.user,
                grounds=form.cleaned_data["grounds"],
                explanation=form.cleaned_data["explanation"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if declaration.conflicted:
                messages.warning(
                    request,
                    "Złożono oświadczenie. Ze względu na wskazane okoliczności zostałeś(-aś) wyłączony(-a) z prac "
                    "komisji w tym konkursie (art. 15 ust. 2f ustawy, art. 24 KPA).",
                )
            else:
                messages.success(request, "Złożono oświadczenie o bezstronności.")
            return redirect("grants:commission-seat", pk=seat.pk)
    organisations = (
        Organisation.objects.filter(pk__in=scoring.participating_organisation_ids(call))
        .order_by("name")
        .values_list("name", flat=True)
    )
    return render(
        request,
        "grants/commission/declaration.html",
        {"seat": seat, "call": call, "form": form, "organisations": organisations},
    )


@login_required
@require_http_methods(["GET", "POST"])
def score_card(request, pk: int):
    card = get_object_or_404(
        my_score_cards(request).select_related(
            "member__commission__call", "member__user", "offer__organisation", "offer__current_version"
        ),
        pk=pk,
    )
    criteria = list(Criterion.objects.filter(call=card.offer.call_id))
    conflict = scoring.card_conflict_error(card.member)
    form = ScoreCardForm(request.POST or None, criteria=criteria, card=card)
    if conflict is not None:
        return render(
            request,
            "grants/commission/card.html",
            {
                "card": card,
                "offer": card.offer,
                "conflict": conflict,
                "call": card.member.commission.call,
                "blocked": conflict,
            },
        )
    if request.method == "POST" and card.status != SUBMITTED and form.is_valid() and not is_going_back(request):
        submit = request.POST.get("action") == "submit"
        entered = {
            "points": form.points(),
            "remarks": form.cleaned_data["remarks"],
            "proposed_amount": form.cleaned_data["proposed_amount"],
        }
        try:
            if submit and not is_confirmed(request):
                if error := scoring.card_scoring_errors(card):
                    raise ValidationError(error)
                scoring.card_validate(card=card, criteria=criteria, submit=True, **entered)
                return confirmation_page(request, _card_confirmation(card, entered["points"]))
            scoring.card_save(
                card=card, actor=request.user, justifications=form.justifications(), submit=submit, **entered
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if submit:
                messages.success(request, "Karta oceny złożona.")
                return redirect("grants:commission-seat", pk=card.member_id)
            messages.success(request, "Zapisano wersję roboczą karty.")
            return redirect("grants:score-card", pk=card.pk)
    others = []
    if card.status == SUBMITTED:
        others = list(
            ScoreCard.objects.filter(offer=card.offer, member__commission=card.member.commission_id, status=SUBMITTED)
            .exclude(pk=card.pk)
            .select_related("member__user")
            .order_by("member__user__last_name")
        )
    return render(
        request,
        "grants/commission/card.html",
        {
            "card": card,
            "offer": card.offer,
            "call": card.member.commission.call,
            "form": form,
            "others": others,
            "blocked": scoring.card_scoring_errors(card),
            "data": card.offer.current_version.data if card.offer.current_version else {},
            "attachments": card.offer.attachments.select_related("required"),
        },
    )


def _card_confirmation(card: ScoreCard, points: dict) -> Confirmation:
    total = sum((value for value in points.values() if value is not None), start=0)
    return Confirmation(
        title=f"Złóż kartę oceny: {card.offer.organisation.name}",
        action="złóż kartę oceny",
        consequences=[
            f"Karta oceny oferty „{card.offer.title}” zostanie złożona z sumą {number_format(total, 2)} pkt "
            "i zamknięta: zmienić ją można tylko po otwarciu przez przewodniczącego komisji (co jest odnotowywane).",
            "Zobaczysz oceny tej oferty złożone przez pozostałych członków komisji.",
        ],
        notified=["Nikt nie dostaje wiadomości; przewodniczący widzi, że karta jest złożona (bez punktów)."],
    )


@login_required
@require_POST
def score_card_reopen(request, pk: int):
    chaired = my_commission_seats(request).filter(is_chair=True, excluded_at__isnull=True).values("commission_id")
    card = get_object_or_404(ScoreCard.objects.filter(member__commission__in=chaired), pk=pk)
    try:
        scoring.card_reopen(card=card, actor=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, "Karta otwarta do poprawy – członek komisji musi ją złożyć ponownie.")
    seat = my_commission_seats(request).get(commission=card.member.commission_id)
    return redirect("grants:commission-seat", pk=seat.pk)


# --- NGO ---------------------------------------------------------------------------------------------------------


@login_required
def offer_scores(request, pk: int):
    """After the results: the offer's mean score, per-criterion averages and the remarks, without names."""
    offer = get_object_or_404(offers_with_published_results(request).select_related("call", "organisation"), pk=pk)
    counted = ScoreCard.objects.counted().filter(offer=offer)
    summary = counted.aggregate(mean=Avg("total"), count=Count("pk"))
    criteria = list(Criterion.objects.filter(call=offer.call_id))
    means = criterion_means(counted)
    return render(
        request,
        "grants/commission/offer_scores.html",
        {
            "offer": offer,
            "call": offer.call,
            "summary": summary,
            "criteria": [(c, means.get((offer.pk, c.pk))) for c in criteria],
            "remarks": list(counted.exclude(remarks="").order_by("pk").values_list("remarks", flat=True)),
        },
    )
