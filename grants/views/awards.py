"""The decision and what follows it: awards, published results, justification requests, appeals, updated offers
and agreements. Staff reach only their authority's calls; NGO members only their organisations' offers."""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from accounts.mail import site_url
from accounts.permissions import staff_required
from accounts.ratelimit import TOO_MANY, limit_reached
from accounts.reauth import reauthentication_required
from accounts.roles import roles_of
from config.confirm import Confirmation, confirmation_page, is_confirmed, is_going_back
from config.forms import apply_validation_error, filtered, list_query
from config.polish import format_money, polish_plural
from config.tenancy import scoped
from grants.signatures.models import IssuedDocument
from grants.signatures.services import current_copy, signing_state
from organisations import register
from organisations.models import RegisterExtract
from reports.corrections import correction_url
from reports.models import Publication
from reports.pdf import pdf_response
from reports.publication_views import frozen_pdf_response

from ..exports import agreements_response
from ..filters import AgreementFilter
from ..forms.awards import (
    AgreementForm,
    AnnexForm,
    AnswerForm,
    AppealDecisionForm,
    AppealForm,
    AwardDecisionForm,
    BudgetChargesForm,
    JustificationRequestForm,
    SignForm,
    TerminateForm,
    UpdateReviewForm,
)
from ..forms.payments import TranchePaymentForm
from ..models import Agreement, Appeal, Award, JustificationRequest, Offer, OfferUpdate, OpenCall
from ..permissions import (
    managed_agreements,
    managed_awards,
    managed_calls,
    offers_of_my_organisations,
    scores_withheld,
    visible_agreements,
)
from ..ranking import call_ranking
from ..selectors import call_results
from ..services import agreements as agreement_services
from ..services import awards as award_services
from ..services import budget_charges
from ..snapshot import readable_diff
from .commission import withheld_redirect


def _call(request, pk: int) -> OpenCall:
    return get_object_or_404(managed_calls(request).select_related("authority", "programme").with_funds(), pk=pk)


def _decision_forms(request, rows):
    forms = []
    for row in rows:
        award = row.award
        initial = {
            "decision": {"granted": "grant", "refused": "refuse"}.get(award.status, "") if award else "",
            "amount": award.amount if award and award.amount is not None else row.proposed_amount,
            "reasons": award.reasons if award else "",
        }
        data = request.POST if request.method == "POST" else None
        form = AwardDecisionForm(data, initial=initial, prefix=f"o{row.offer.pk}")
        if row.mean_score is not None and not row.eligible:
            # Below the commission's minimum score: only a refusal is possible (the service says so too).
            form.fields["decision"].choices = [c for c in AwardDecisionForm.CHOICES if c[0] != "grant"]
        forms.append((row, form))
    return forms


@staff_required
@require_http_methods(["GET", "POST"])
@reauthentication_required
def decision(request, pk: int):
    """Rozstrzygnięcie: the ranking with a decision per offer, the running total against the call's funds."""
    call = _call(request, pk)
    ranking = call_ranking(call)
    if seat_id := scores_withheld(request, ranking.commission):
        return withheld_redirect(request, seat_id)
    # The decision forms are shown only while the commission's review lasts (a POST reads them at any time).
    showing_forms = call.status == OpenCall.Status.COMMISSION_REVIEW
    forms = _decision_forms(request, ranking.rows) if showing_forms or request.method == "POST" else []
    if request.method == "POST" and not is_going_back(request) and all(form.is_valid() for _, form in forms):
        decided = [(row, form) for row, form in forms if form.cleaned_data["decision"]]
        decisions = [
            (
                row.offer,
                form.cleaned_data["decision"] == "grant",
                form.cleaned_data["amount"],
                form.cleaned_data["reasons"],
            )
            for row, form in decided
        ]
        if is_confirmed(request):
            errors = award_services.awards_decide(decisions=decisions, actor=request.user)
        else:
            # Checked by the service itself, then rolled back: the confirmation never asks about a refused decision.
            with transaction.atomic():
                errors = award_services.awards_decide(decisions=decisions, actor=request.user)
                transaction.set_rollback(True)
            if not errors:
                return confirmation_page(request, _decision_confirmation(call, decisions))
        if not errors:
            messages.success(request, "Decyzje zapisane.")
            return redirect("grants:call-decision", pk=call.pk)
        for row, form in decided:
            if row.offer.pk in errors:
                apply_validation_error(form, errors[row.offer.pk])
        messages.error(request, "Nie zapisano decyzji – popraw zaznaczone wiersze.")
    granted = sum((r.award.amount for r in ranking.rows if r.award and r.award.amount), start=Decimal("0"))
    return render(
        request,
        "grants/awards/decision.html",
        {
            "call": call,
            "ranking": ranking,
            "forms": forms,
            "granted_total": granted,
            "remaining": ranking.funds_total - granted,
            "can_decide": roles_of(request).superuser or call.authority_id in roles_of(request).decider_authority_ids,
            "justifications": call.justification_requests.order_by("-requested_at"),
            "appeals": Appeal.objects.filter(offer__call=call).select_related(
                "offer__organisation", "offer__call__programme"
            ),
            "now": timezone.now(),
            "correct_url": correction_url(request, Publication.Kind.CALL_RESULTS, call.pk, call.authority_id),
        },
    )


@staff_required
@require_POST
@reauthentication_required
def results_publish(request, pk: int):
    call = _call(request, pk)
    if is_going_back(request):
        return redirect("grants:call-decision", pk=call.pk)
    if not is_confirmed(request):
        if error := award_services.results_publish_error(call, request.user):
            messages.error(request, error)
            return redirect("grants:call-decision", pk=call.pk)
        return confirmation_page(request, _results_confirmation(call))
    try:
        award_services.results_publish(call=call, actor=request.user, site=site_url(request))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("grants:call-decision", pk=call.pk)
    messages.success(request, "Wyniki konkursu opublikowane; oferenci otrzymali powiadomienia e-mail.")
    return redirect("grants:call-decision", pk=call.pk)


def _decision_confirmation(call: OpenCall, decisions) -> Confirmation:
    granted = [(offer, amount) for offer, grant, amount, _ in decisions if grant]
    refused = len(decisions) - len(granted)
    total = sum((amount for _, amount in granted), start=Decimal("0"))
    consequences = [
        f"Zostanie zapisane rozstrzygnięcie konkursu {call.number}: przyznanie "
        f"{len(granted)} {polish_plural(len(granted), 'dotacji', 'dotacji', 'dotacji')} na łączną kwotę "
        f"{format_money(total)} i odmowa dla {refused} {polish_plural(refused, 'oferty', 'ofert', 'ofert')}, "
        "z datą i Twoim nazwiskiem w dzienniku zmian.",
    ]
    lower = [o for o, amount in granted if o.current_version and amount < o.current_version.grant_amount]
    if lower:
        consequences.append(
            f"Oferenci, którym przyznano mniej niż wnioskowali ({len(lower)}), będą mogli zaktualizować ofertę "
            "(harmonogram i kosztorys) albo zrezygnować – po ogłoszeniu wyników."
        )
    consequences.append(
        "Decyzje nie są jeszcze publiczne: wyniki ogłaszasz osobnym przyciskiem „Zatwierdź rozstrzygnięcie i ogłoś "
        "wyniki”."
    )
    return Confirmation(
        title=f"Zapisz decyzje o dotacjach – konkurs {call.number}",
        action="zapisz decyzje",
        consequences=consequences,
        notified=["Nikt teraz: oferenci dostaną e-mail z wynikiem swojej oferty dopiero po ogłoszeniu wyników."],
        final="Do ogłoszenia wyników decyzję można zmienić, zapisując ją ponownie; po ogłoszeniu – tylko w trybie "
        "odwołania albo aneksem do umowy.",
    )


def _results_confirmation(call: OpenCall) -> Confirmation:
    applicants = Offer.objects.filter(call=call).submitted().count()
    return Confirmation(
        title=f"Opublikuj wyniki konkursu {call.number}",
        action="opublikuj wyniki",
        consequences=[
            "Rozstrzygnięcie stanie się ostateczne: konkurs otrzyma status „rozstrzygnięty”, decyzji nie będzie "
            "można zmienić.",
            "Wyniki (oferent, zadanie, przyznana kwota) pojawią się na publicznej stronie konkursu i w PDF "
            "(art. 15 ust. 2h ustawy), zamrożone wraz z protokołem komisji.",
            "Od publikacji biegnie 30 dni, w których każdy może zażądać uzasadnienia wyboru lub odrzucenia oferty.",
        ],
        notified=[
            f"Oferenci, którzy złożyli oferty ({applicants}) – e-mail z wynikiem ich oferty.",
        ],
    )


def _published_call(request, pk: int) -> OpenCall:
    calls = scoped(request, OpenCall.objects.public())
    return get_object_or_404(calls.filter(results_published_at__isnull=False).select_related("authority"), pk=pk)


def results_pdf(request, pk: int):
    call = _published_call(request, pk)
    filename = f"wyniki-{call.number.replace('/', '-')}.pdf"
    publication = Publication.objects.current(Publication.Kind.CALL_RESULTS, call.pk)
    if publication is not None:
        return frozen_pdf_response(request, publication, filename)
    return pdf_response("grants/awards/results_pdf.html", {"call": call, "results": call_results(call)}, filename)


@require_http_methods(["GET", "POST"])
def justification_request(request, pk: int):
    """Anyone, without an account, may ask for the justification of the results (art. 15 ust. 2i)."""
    call = _published_call(request, pk)
    form = JustificationRequestForm(request.POST or None)
    deadline = award_services.justification_deadline(call)
    status = 200
    if request.method == "POST" and form.is_valid():
        if form.cleaned_data["website"]:
            return redirect("grants:call-detail", pk=call.pk)
        # The office e-mails the address given: a few requests per hour from one visitor (settings.RATE_LIMITS).
        if limit_reached(request, "justification-request"):
            form.add_error(None, TOO_MANY)
            status = 429
        else:
            try:
                award_services.justification_request_file(
                    call=call,
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    question=form.cleaned_data["question"],
                    user=request.user if request.user.is_authenticated else None,
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, "Wniosek przyjęty. Uzasadnienie otrzymasz na podany adres e-mail.")
                return redirect("grants:call-detail", pk=call.pk)
    return render(
        request,
        "grants/awards/justification_request.html",
        {"call": call, "form": form, "deadline": deadline, "open": timezone.now() <= deadline},
        status=status,
    )


@staff_required
@require_POST
def justification_answer(request, pk: int):
    item = get_object_or_404(
        JustificationRequest.objects.filter(call__in=managed_calls(request)).select_related("call"), pk=pk
    )
    form = AnswerForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"answer": "Wpisz uzasadnienie."})
        award_services.justification_answer(request=item, answer=form.cleaned_data["answer"], actor=request.user)
        messages.success(request, f"Uzasadnienie wysłane do: {item.email}.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("grants:call-decision", pk=item.call_id)


@login_required
@require_http_methods(["GET", "POST"])
def appeal_file(request, pk: int):
    offer = get_object_or_404(offers_of_my_organisations(request).select_related("call__programme"), pk=pk)
    if offer.call is None or offer.call.results_published_at is None:
        raise Http404
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            award_services.appeal_file(offer=offer, grounds=form.cleaned_data["grounds"], actor=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Odwołanie złożone.")
            return redirect("grants:my-offers")
    return render(
        request,
        "grants/awards/appeal_form.html",
        {"offer": offer, "form": form, "deadline": award_services.appeal_deadline(offer.call)},
    )


@staff_required
@require_POST
@reauthentication_required
def appeal_decide(request, pk: int):
    """The appeal's form on the decision page posts here; a first POST shows what will happen (changing nothing),
    the confirmed one decides."""
    appeal = get_object_or_404(
        Appeal.objects.filter(offer__call__in=managed_calls(request)).select_related(
            "offer__organisation", "offer__call"
        ),
        pk=pk,
    )
    back = redirect(reverse("grants:call-decision", args=[appeal.offer.call_id]) + "#odwolania")
    if is_going_back(request):
        return back
    form = AppealDecisionForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError("Wybierz rozstrzygnięcie i podaj uzasadnienie.")
        decision = {
            "appeal": appeal,
            "status": form.cleaned_data["status"],
            "decision": form.cleaned_data["decision"],
            "amount": form.cleaned_data["amount"],
            "actor": request.user,
        }
        if not is_confirmed(request):
            award_services.appeal_decide_check(**decision)
            return confirmation_page(request, _appeal_confirmation(appeal, form.cleaned_data))
        award_services.appeal_decide(**decision)
        messages.success(request, "Odwołanie rozpatrzone; oferent otrzymał powiadomienie.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return back


def _offeror_notified(organisation, what: str) -> str:
    mailbox = f" oraz skrzynka organizacji {organisation.email}" if organisation.email else ""
    return (
        f"Oferent – {organisation.name}: członkowie organizacji (w portalu i e-mailem, według swoich ustawień "
        f"powiadomień){mailbox} – {what}."
    )


def _appeal_confirmation(appeal: Appeal, data: dict) -> Confirmation:
    offer, call = appeal.offer, appeal.offer.call
    status, amount = data["status"], data["amount"]
    final = "Tej czynności nie można cofnąć."
    if status == Appeal.Status.UPHELD and amount is not None:
        consequences = [
            f"Odwołanie zostanie uwzględnione: oferta „{offer.title}” otrzyma dotację {format_money(amount)} – "
            f"rozstrzygnięcie konkursu {call.number} zmieni się, z datą i Twoim nazwiskiem w dzienniku zmian."
        ]
        if Publication.objects.filter(kind=Publication.Kind.CALL_RESULTS, object_id=call.pk).exists():
            consequences.append(
                "Opublikowane wyniki konkursu otrzymają korektę: nową wersję z tym powodem w rejestrze zmian; "
                "poprzednia wersja pozostanie dostępna."
            )
    elif status == Appeal.Status.UPHELD:
        consequences = [
            "Odwołanie zostanie uwzględnione bez przyznania dotacji (nie podano kwoty): rozstrzygnięcie konkursu "
            "i opublikowane wyniki pozostaną bez zmian."
        ]
    elif status == Appeal.Status.DISMISSED:
        consequences = [f"Odwołanie nie zostanie uwzględnione: wynik oferty „{offer.title}” pozostaje bez zmian."]
    else:
        consequences = [
            f"Oferta „{offer.title}” wróci do komisji: złożone karty oceny tej oferty zostaną ponownie otwarte, "
            "a komisja wznowi ocenę.",
            "Odwołanie rozstrzygniesz po ponownym zamknięciu oceny przez przewodniczącego komisji.",
        ]
        final = "Skierowania oferty do ponownej oceny nie można cofnąć."
    consequences.append(f"Uzasadnienie zostanie zapisane przy odwołaniu i przekazane oferentowi: „{data['decision']}”")
    return Confirmation(
        title=f"Rozpatrz odwołanie – {offer.organisation.name}, konkurs {call.number}",
        action="rozpatrz odwołanie",
        consequences=consequences,
        notified=[_offeror_notified(offer.organisation, "rozstrzygnięcie odwołania z uzasadnieniem")],
        final=final,
    )


@login_required
@require_POST
def update_withdraw(request, pk: int):
    offer = get_object_or_404(offers_of_my_organisations(request), pk=pk)
    try:
        award_services.offer_update_withdraw(offer=offer, actor=request.user)
    except (ValidationError, OfferUpdate.DoesNotExist):
        messages.error(request, "Nie można zrezygnować z realizacji tego zadania.")
    else:
        messages.success(request, "Zrezygnowano z realizacji zadania za przyznaną kwotę.")
    return redirect("grants:my-offers")


@staff_required
@require_http_methods(["GET", "POST"])
def update_review(request, pk: int):
    update = get_object_or_404(
        OfferUpdate.objects.filter(award__call__in=managed_calls(request)).select_related(
            "award__offer__organisation", "award__offer__current_version", "award__call", "version"
        ),
        pk=pk,
    )
    form = UpdateReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            award_services.offer_update_review(
                update=update,
                accept=request.POST.get("action") == "accept",
                remarks=form.cleaned_data["remarks"],
                actor=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Decyzja w sprawie aktualizacji zapisana; oferent otrzymał powiadomienie.")
            return redirect("grants:call-agreements", pk=update.award.call_id)
    offer = update.award.offer
    changes = readable_diff(offer.current_version.data, update.version.data) if update.version else []
    return render(
        request,
        "grants/awards/update_review.html",
        {"update": update, "offer": offer, "changes": changes, "form": form},
    )


@staff_required
def call_agreements(request, pk: int):
    """After the results: each granted award with its update and agreement."""
    call = _call(request, pk)
    awards = (
        Award.objects.filter(call=call, status=Award.Status.GRANTED)
        .select_related("offer__organisation", "offer_update", "agreement")
        .order_by("offer__organisation__search_name")
    )
    return render(request, "grants/awards/call_agreements.html", {"call": call, "awards": awards})


@staff_required
@require_http_methods(["GET", "POST"])
@reauthentication_required
def agreement_create(request, pk: int):
    award = get_object_or_404(
        managed_awards(request).select_related("offer__organisation", "offer__direct__authority", "call__authority"),
        pk=pk,
    )
    if hasattr(award, "agreement"):
        return redirect("grants:agreement-detail", pk=award.agreement.pk)
    try:
        version = agreement_services.agreement_version(award)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("grants:call-agreements", pk=award.call_id) if award.call_id else redirect("home")
    organisation = award.offer.organisation
    # The register check before an agreement: who may represent the organisation now (a recent answer is reused;
    # when the register cannot be reached the page says so and staff type the representatives from a document).
    extract = None
    if organisation.krs:
        extract = (
            register.fresh_extract(krs_number=organisation.krs, actor=request.user)
            if request.method == "GET"
            else RegisterExtract.objects.latest_for(organisation.krs)
        )
    form = AgreementForm(
        request.POST or None,
        initial={
            "place": (award.call.authority if award.call_id else award.offer.direct.authority).city,
            "organisation_representatives": agreement_services.organisation_representation(
                organisation, extract, fallback=version.data["II"]["contact"]["name"]
            ),
            # An account the office has not verified (again) is not taken over: staff type it from a checked source.
            "bank_account": award.offer.organisation.bank_account if award.offer.organisation.is_verified else "",
            "deviation_threshold_pct": agreement_services.DEFAULT_DEVIATION_PCT,
            "tranches": 1,
        },
    )
    parts, lines_by_year, defaults = agreement_services.charge_plan(award, version)
    if not award.offer.organisation.is_verified:
        form.fields["bank_account"].help_text = (
            "Organizacja czeka na weryfikację danych (np. po zmianie rachunku), więc numer nie został przepisany "
            "z jej konta: zweryfikuj organizację albo wpisz numer ze sprawdzonego dokumentu."
        )
    charges_form = BudgetChargesForm(request.POST or None, lines_by_year=lines_by_year, parts=parts, charges=defaults)
    if request.method == "POST" and form.is_valid() & charges_form.is_valid():
        data = form.cleaned_data
        try:
            agreement = agreement_services.agreement_create(
                award=award,
                actor=request.user,
                place=data["place"],
                authority_representatives=data["authority_representatives"],
                organisation_representatives=data["organisation_representatives"],
                deviation_threshold_pct=data["deviation_threshold_pct"],
                bank_account=data["bank_account"],
                tranche_count=data["tranches"],
                budget_lines=charges_form.charges(),
            )
        except ValidationError as error:
            apply_charges_error(form, charges_form, error)
        else:
            messages.success(request, f"Przygotowano projekt umowy nr {agreement.number}.")
            return redirect("grants:agreement-detail", pk=agreement.pk)
    return render(
        request,
        "grants/awards/agreement_form.html",
        {
            "award": award,
            "version": version,
            "form": form,
            "charges_form": charges_form,
            "extract": extract,
            "differences": register.organisation_differences(organisation, extract),
        },
    )


def apply_charges_error(form, charges_form, error: ValidationError) -> None:
    """The budget-line problems above the budget-line table, the rest on the agreement's fields."""
    if hasattr(error, "error_dict") and "budget_lines" in error.error_dict:
        charges_form.add_error(None, error.error_dict.pop("budget_lines"))
        if not error.error_dict:
            return
    apply_validation_error(form, error)


# What the agreement page shows with the agreement; the PDF also reads the award's call and the offer version.
PAGE_RELATED = ("authority", "organisation", "imported_call", "import_batch")
PDF_RELATED = (*PAGE_RELATED, "award__call", "version")


def _agreement(request, pk: int, related=PAGE_RELATED) -> Agreement:
    # Each joined table costs PostgreSQL planning time (eight tables: 3 ms, more than reading the row) and the
    # version brings the frozen offer (≈ 3 kB of JSON), so a page joins only what it shows.
    return get_object_or_404(visible_agreements(request).select_related(*related), pk=pk)


@login_required
def agreement_detail(request, pk: int):
    return agreement_page(request, pk)


def agreement_page(request, pk: int, payment_forms: dict | None = None):
    """The agreement with its tranches: the NGO sees which were transferred and when; staff record transfers of
    a signed agreement's unpaid tranches (``payment_forms`` keeps a refused one's input)."""
    agreement = _agreement(request, pk)
    roles = roles_of(request)
    staff = roles.superuser or agreement.authority_id in roles.staff_authority_ids
    tranches = list(agreement.tranches.all())
    payment_forms = payment_forms or {}
    payable = staff and agreement.status == Agreement.Status.SIGNED
    for tranche in tranches:
        tranche.payment_form = (
            payment_forms.get(tranche.pk)
            or TranchePaymentForm(prefix=f"t{tranche.pk}", initial={"amount": tranche.amount})
            if payable and tranche.paid_on is None
            else None
        )
    issued, ngo_copy = signing_state(IssuedDocument.Kind.AGREEMENT, agreement.pk, party="organisation")
    office_copy = current_copy(issued, "authority") if issued else None
    return render(
        request,
        "grants/awards/agreement_detail.html",
        {
            "issued": issued,
            "ngo_copy": ngo_copy,
            "office_copy": office_copy,
            "electronic": bool(ngo_copy and office_copy and ngo_copy.accepted and office_copy.accepted),
            "agreement": agreement,
            "staff": staff,
            "cost_lines": agreement.cost_lines.all(),
            "tranches": tranches,
            "paid_total": sum((t.amount for t in tranches if t.paid_on), Decimal("0")),
            "budget_charges": agreement.budget_charges.select_related("budget_line__priority_area"),
            "annexes": agreement.annexes.all(),
            "sign_form": SignForm(),
            "annex_form": AnnexForm(),
            "terminate_form": TerminateForm(),
        },
    )


@login_required
def agreement_pdf(request, pk: int):
    agreement = _agreement(request, pk, PDF_RELATED)
    if agreement.version_id is None:
        raise Http404("Umowa zaimportowana z lat ubiegłych nie ma w portalu dokumentu do podpisu.")
    context = {
        "agreement": agreement,
        "cost_lines": agreement.cost_lines.all(),
        "tranches": agreement.tranches.all(),
        "data": agreement.version.data,
    }
    return pdf_response("grants/awards/agreement_pdf.html", context, f"umowa-{agreement.number.replace('/', '-')}.pdf")


@staff_required
@require_POST
@reauthentication_required
def agreement_action(request, pk: int, action: str):
    agreement = get_object_or_404(managed_agreements(request), pk=pk)
    forms = {"podpisanie": SignForm, "aneks": AnnexForm, "rozwiazanie": TerminateForm}
    if action not in forms:
        raise Http404
    form = forms[action](request.POST)
    try:
        if not form.is_valid():
            raise ValidationError([e for errors in form.errors.values() for e in errors])
        data = form.cleaned_data
        if action == "podpisanie":
            agreement_services.agreement_sign(agreement=agreement, signed_on=data["signed_on"], actor=request.user)
            messages.success(request, "Zapisano zawarcie umowy.")
        elif action == "aneks":
            annex = agreement_services.annex_record(
                agreement=agreement, signed_on=data["signed_on"], subject=data["subject"], actor=request.user
            )
            messages.success(request, f"Zapisano aneks nr {annex.number}.")
        else:
            agreement_services.agreement_terminate(
                agreement=agreement, terminated_on=data["terminated_on"], reason=data["reason"], actor=request.user
            )
            messages.success(request, "Zapisano rozwiązanie umowy.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("grants:agreement-detail", pk=agreement.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def agreement_budget_lines(request, pk: int):
    """Correct the budget lines the agreement is charged to (also once a later year's programme is adopted)."""
    agreement = get_object_or_404(
        managed_agreements(request).select_related("organisation", "award__call__programme"), pk=pk
    )
    parts = budget_charges.agreement_parts(agreement)
    lines_by_year = budget_charges.agreement_chargeable_lines(agreement)
    current = [budget_charges.Charge(c.budget_line_id, c.year, c.amount) for c in agreement.budget_charges.all()]
    form = BudgetChargesForm(request.POST or None, lines_by_year=lines_by_year, parts=parts, charges=current)
    if request.method == "POST" and form.is_valid():
        try:
            budget_charges.agreement_budget_lines_set(agreement=agreement, actor=request.user, charges=form.charges())
        except ValidationError as error:
            apply_charges_error(form, form, error)
        else:
            messages.success(request, "Zapisano pozycje budżetu, z których finansowana jest umowa.")
            return redirect("grants:agreement-detail", pk=agreement.pk)
    return render(request, "grants/awards/agreement_budget_lines.html", {"agreement": agreement, "charges_form": form})


@staff_required
def agreement_list(request):
    filterset = _agreement_filter(request)
    page = Paginator(filtered(filterset), 50).get_page(request.GET.get("strona"))
    return render(
        request,
        "grants/awards/agreement_list.html",
        {"page": page, "filter": filterset, "query": list_query(request)},
    )


def _agreement_filter(request) -> AgreementFilter:
    agreements = (
        managed_agreements(request)
        .select_related("organisation", "award__call", "imported_call")
        .order_by("-created_at")
    )
    return AgreementFilter(request.GET or None, queryset=agreements)


@staff_required
def agreements_export(request, fmt: str):
    return agreements_response(filtered(_agreement_filter(request)), fmt)
