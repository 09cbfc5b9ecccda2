"""Local initiative (art. 19b–19h): the public decisions, the residents' request, the office's case and agreement.

A resident signs in with a plain account (no organisation needed: art. 19b ust. 1 lets residents apply directly);
an NGO member may apply in the organisation's name. Every write goes through ``services.local_initiative``.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import staff_required
from accounts.reauth import reauthentication_required
from accounts.roles import roles_of
from config.confirm import Confirmation, confirmation_page, is_confirmed, is_going_back
from config.forms import apply_validation_error
from config.polish import format_money, format_number
from programmes.models import Authority, BudgetLine
from programmes.permissions import managed_authorities, restrict_to_managed
from reports.rendering import pdf_when_ready

from ..forms import local_initiative as forms
from ..local_initiative_access import managed_agreements, managed_requests, may_decide, my_agreements, my_requests
from ..models import LocalInitiativeAgreement, LocalInitiativeRequest, LocalInitiativeRules, LocalInitiativeScore
from ..services import local_initiative as services

R = LocalInitiativeRequest.Status

# --- public --------------------------------------------------------------------------------------------------------


def public_list(request):
    """Anyone reads the councils' rules in force and the executive's decisions on requests (who, what, why)."""
    decisions = (
        LocalInitiativeRequest.objects.decided_publicly()
        .select_related("authority", "organisation", "task_area")
        .order_by("-decided_at")[:200]
    )
    rules = (
        LocalInitiativeRules.objects.select_related("authority")
        .prefetch_related("criteria")
        .order_by("authority__name", "-valid_from")
        .distinct()
    )
    latest = {}
    for row in rules:
        latest.setdefault(row.authority_id, row)
    return render(
        request,
        "grants/local_initiative/public_list.html",
        {"decisions": decisions, "rules": list(latest.values())},
    )


# --- applicants ----------------------------------------------------------------------------------------------------


@login_required
def my_list(request):
    requests_ = (
        my_requests(request).select_related("authority", "organisation", "agreement__report").order_by("-created_at")
    )
    return render(request, "grants/local_initiative/my_list.html", {"li_requests": requests_})


@login_required
@require_http_methods(["GET", "POST"])
def start(request):
    roles = roles_of(request)
    organisations = [m.organisation for m in roles.memberships]
    authorities = Authority.objects.order_by("name")
    form = forms.RequestStartForm(
        request.POST or None,
        organisations=organisations,
        authorities=authorities,
        initial={"authority": authorities.first()},
    )
    if request.method == "POST" and form.is_valid():
        organisation = next((o for o in organisations if o.pk == form.cleaned_data.get("organisation")), None)
        try:
            li_request = services.request_create(
                authority=form.cleaned_data["authority"],
                actor=request.user,
                applicant_kind=form.cleaned_data["applicant_kind"],
                organisation=organisation,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("grants:li-edit", li_request.pk)
    return render(request, "grants/local_initiative/start.html", {"form": form})


def _mine(request, pk: int) -> LocalInitiativeRequest:
    return get_object_or_404(
        my_requests(request).select_related("authority", "organisation", "rules", "task_area"), pk=pk
    )


def _supporter_initial(li_request):
    return [{"full_name": s.full_name, "address": s.address, "consent": s.consent} for s in li_request.supporters.all()]


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    """The applicants' page of a request: the draft form while it may change, then its stage and documents."""
    li_request = _mine(request, pk)
    editable = li_request.status in (R.DRAFT, R.COMPLETION)
    rules = li_request.rules or services.rules_in_force(li_request.authority_id)
    form = forms.RequestForm(request.POST or None, instance=li_request) if editable else None
    supporters = (
        forms.SupporterFormSet(request.POST or None, initial=_supporter_initial(li_request), prefix="popierajacy")
        if editable
        else None
    )
    if request.method == "POST" and editable:
        if form.is_valid() and supporters.is_valid():
            try:
                services.request_save(
                    li_request=li_request,
                    actor=request.user,
                    data=form.cleaned_data,
                    supporters=forms.supporter_rows(supporters),
                )
            except ValidationError as error:
                apply_validation_error(form, error)
            else:
                messages.success(request, "Zapisano wniosek (wersja robocza).")
                return redirect("grants:li-edit", li_request.pk)
        messages.error(request, "Popraw zaznaczone pola – nic, co wpisano, nie zostało utracone.")
    li_request.refresh_from_db()
    agreement = LocalInitiativeAgreement.objects.filter(request=li_request).select_related("report").first()
    problems = services.request_problems(li_request, rules) if editable else {}
    return render(
        request,
        "grants/local_initiative/edit.html",
        {
            "li_request": li_request,
            "form": form,
            "supporters": supporters,
            "rules": rules,
            "problems": problems,
            "agreement": agreement,
            "supporter_list": li_request.supporters.all(),
        },
    )


@login_required
@require_POST
def submit(request, pk: int):
    li_request = _mine(request, pk)
    rules = services.rules_in_force(li_request.authority_id)
    if is_going_back(request):
        return redirect("grants:li-edit", li_request.pk)
    problems = services.request_problems(li_request, rules) if li_request.status in (R.DRAFT, R.COMPLETION) else {}
    if problems:
        for message in problems.values():
            messages.error(request, message)
        return redirect("grants:li-edit", li_request.pk)
    if not is_confirmed(request):
        return confirmation_page(
            request,
            Confirmation(
                title=f"Złożenie wniosku „{li_request.title}”",
                action="Złóż wniosek",
                consequences=[
                    f"Wniosek trafi do urzędu: {li_request.authority.name}; dane zostaną utrwalone z sumą kontrolną.",
                    "Zmienić go będzie można tylko wtedy, gdy urząd poprosi o uzupełnienie.",
                ],
                notified=[f"Inicjator: {li_request.initiator_email} (potwierdzenie złożenia)"],
            ),
        )
    try:
        services.request_submit(
            li_request=li_request, actor=request.user, revision=int(request.POST.get("revision", -1))
        )
    except (ValidationError, ValueError) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("grants:li-edit", li_request.pk)
    messages.success(request, "Wniosek złożono.")
    return redirect("grants:li-receipt", li_request.pk)


@login_required
def receipt(request, pk: int):
    li_request = _mine(request, pk)
    if not li_request.receipt_number:
        raise Http404
    return render(request, "grants/local_initiative/receipt.html", {"li_request": li_request})


@login_required
@require_http_methods(["GET", "POST"])
def report(request, pk: int):
    """The applicants report the contribution actually given and the results."""
    agreement = get_object_or_404(my_agreements(request).select_related("request__rules", "authority"), pk=pk)
    existing = getattr(agreement, "report", None) if hasattr(agreement, "report") else None
    if agreement.status != LocalInitiativeAgreement.Status.SIGNED or (existing and existing.status != "returned"):
        return render(request, "grants/local_initiative/report.html", {"agreement": agreement, "report": existing})
    form = forms.ReportForm(request.POST or None, instance=existing)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in forms.ReportForm.Meta.fields}
        try:
            services.report_submit(agreement=agreement, actor=request.user, data=data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Sprawozdanie złożono; urząd je sprawdzi.")
            return redirect("grants:li-edit", agreement.request_id)
    return render(
        request, "grants/local_initiative/report.html", {"agreement": agreement, "report": existing, "form": form}
    )


def _agreement_for_pdf(request, pk):
    roles = roles_of(request)
    visible = managed_agreements(request) if roles.is_authority_staff else my_agreements(request)
    return get_object_or_404(
        visible.select_related(
            "request__rules", "request__organisation", "request__task_area", "authority", "budget_line"
        ),
        pk=pk,
    )


@login_required
def agreement_pdf(request, pk: int):
    """The agreement on execution, laid out by the background worker (reports.rendering)."""
    agreement = _agreement_for_pdf(request, pk)
    context = {"agreement": agreement, "li_request": agreement.request, "annexes": list(agreement.annexes.all())}
    filename = f"umowa-inicjatywa-lokalna-{agreement.number.replace('/', '-')}.pdf"
    return pdf_when_ready(request, "grants/local_initiative/agreement_pdf.html", context, filename)


# --- office --------------------------------------------------------------------------------------------------------


def _reserves(request):
    lines = restrict_to_managed(
        request,
        BudgetLine.objects.filter(local_initiative_reserve__isnull=False).select_related(
            "programme", "local_initiative_reserve"
        ),
        lookup="programme__authority_id",
    )
    committed = dict(
        LocalInitiativeAgreement.objects.filter(budget_line__in=lines, status__in=["draft", "signed"])
        .values_list("budget_line")
        .annotate(total=Sum("spending_cap"))
    )
    spent = dict(
        LocalInitiativeAgreement.objects.filter(budget_line__in=lines)
        .values_list("budget_line")
        .annotate(total=Sum("expenses__amount"))
    )
    rows = []
    for line in lines.order_by("programme__year_from", "number"):
        amount = line.local_initiative_reserve.amount
        rows.append(
            {
                "line": line,
                "reserve": amount,
                "committed": committed.get(line.pk) or 0,
                "spent": spent.get(line.pk) or 0,
                "free": amount - (committed.get(line.pk) or 0),
            }
        )
    return rows


@staff_required
def staff_list(request):
    li_requests = (
        managed_requests(request)
        .select_related("authority", "organisation", "task_area")
        .annotate(supporter_count=Count("supporters", distinct=True))
        .order_by("status", "-submitted_at")
    )
    agreements = managed_agreements(request).for_staff_list().order_by("-created_at")
    status = request.GET.get("status")
    if status in R.values:
        li_requests = li_requests.filter(status=status)
    return render(
        request,
        "grants/local_initiative/staff_list.html",
        {
            "li_requests": li_requests[:300],
            "agreements": agreements[:300],
            "reserves": _reserves(request),
            "statuses": R.choices,
            "status": status,
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def rules_edit(request):
    """The council's resolution and criteria as data, and the reserves of budget lines."""
    authorities = managed_authorities(request).order_by("name")
    authority = authorities.first()
    if authority is None:
        raise PermissionDenied
    lines = restrict_to_managed(
        request, BudgetLine.objects.select_related("programme"), lookup="programme__authority_id"
    ).order_by("-programme__year_from", "number")
    action = request.POST.get("action")
    rules_form = forms.RulesForm(request.POST if action == "rules" else None)
    criteria = forms.CriterionFormSet(request.POST if action == "rules" else None, prefix="kryteria")
    reserve_form = forms.ReserveForm(request.POST if action == "reserve" else None, budget_lines=lines)
    if action == "rules" and rules_form.is_valid() and criteria.is_valid():
        try:
            services.rules_adopt(
                authority=authority,
                actor=request.user,
                criteria=forms.criteria_rows(criteria),
                **rules_form.cleaned_data,
            )
        except ValidationError as error:
            apply_validation_error(rules_form, error)
            if hasattr(error, "error_dict") and "criteria" in error.error_dict:
                rules_form.add_error(None, error.error_dict["criteria"])
        else:
            messages.success(request, "Zapisano uchwałę rady i kryteria oceny wniosków.")
            return redirect("grants:li-rules")
    if action == "reserve" and reserve_form.is_valid():
        try:
            services.reserve_set(actor=request.user, **reserve_form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(reserve_form, error)
        else:
            messages.success(request, "Zapisano rezerwę na inicjatywę lokalną.")
            return redirect("grants:li-rules")
    history = (
        LocalInitiativeRules.objects.filter(authority__in=authorities)
        .select_related("authority")
        .prefetch_related("criteria")
        .order_by("-valid_from")
    )
    return render(
        request,
        "grants/local_initiative/rules.html",
        {
            "authority": authority,
            "rules_form": rules_form,
            "criteria": criteria,
            "reserve_form": reserve_form,
            "history": history,
            "reserves": _reserves(request),
        },
    )


RESULTS_OWNERSHIP = (
    "Efekty rzeczowe inicjatywy (wykonane obiekty, nasadzenia, zakupione rzeczy) stają się własnością "
    "jednostki samorządu terytorialnego."
)


def _residents_share(li_request) -> str:
    parts = [f"praca społeczna: {format_number(li_request.social_work_hours, 1)} godz."]
    parts += [text for text in (li_request.in_kind_description,) if text]
    if li_request.financial_contribution:
        parts.append(f"wkład finansowy: {format_money(li_request.financial_contribution)}")
    return "; ".join(parts)


def _decide_when(request, pk):
    return request.POST.get("action") == "decide"


@staff_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(when=_decide_when)
def case(request, pk: int):
    """The office's case: the request as filed, the scores on the council's criteria, the reserve, the decision."""
    li_request = get_object_or_404(
        managed_requests(request).select_related("authority", "organisation", "rules", "task_area", "decided_by"),
        pk=pk,
    )
    criteria = list(li_request.rules.criteria.all()) if li_request.rules_id else []
    scores = {
        s.criterion_id: s
        for s in LocalInitiativeScore.objects.filter(request=li_request).select_related("scored_by", "criterion")
    }
    action = request.POST.get("action")
    score_form = forms.ScoreForm(request.POST if action == "score" else None, criteria=criteria, scores=scores)
    completion_form = forms.CompletionForm(request.POST if action == "completion" else None)
    decision_form = forms.DecisionForm(request.POST if action == "decide" else None)
    lines = restrict_to_managed(
        request,
        BudgetLine.objects.filter(local_initiative_reserve__isnull=False).select_related("programme"),
        lookup="programme__authority_id",
    ).filter(programme__authority_id=li_request.authority_id)
    agreement_form = forms.AgreementForm(
        request.POST if action == "agreement" else None,
        budget_lines=lines,
        initial={
            "spending_cap": li_request.requested_amount,
            "start_date": li_request.start_date,
            "end_date": li_request.end_date,
            "authority_provides": "\n".join(
                t
                for t in (li_request.requested_services, li_request.requested_materials, li_request.requested_space)
                if t
            ),
            "residents_provide": _residents_share(li_request),
            "equipment_lent": li_request.requested_equipment,
            "results_ownership": RESULTS_OWNERSHIP,
            "authority_representatives": li_request.authority.executive_full_name,
            "applicant_representatives": li_request.initiator_name,
            "place": li_request.authority.city,
        },
    )
    try:
        if action == "score" and score_form.is_valid():
            services.request_score(li_request=li_request, actor=request.user, scores=score_form.scores())
            messages.success(request, "Zapisano ocenę wniosku.")
            return redirect("grants:li-case", pk)
        if action == "completion" and completion_form.is_valid():
            services.request_ask_completion(
                li_request=li_request, actor=request.user, note=completion_form.cleaned_data["note"]
            )
            messages.success(request, "Poproszono wnioskodawców o uzupełnienie.")
            return redirect("grants:li-case", pk)
        if action == "decide" and decision_form.is_valid():
            if not may_decide(request, li_request.authority_id):
                raise PermissionDenied
            accept = decision_form.cleaned_data["decision"] == "accept"
            if is_going_back(request):
                pass
            elif not is_confirmed(request):
                return confirmation_page(
                    request,
                    Confirmation(
                        title=f"Rozstrzygnięcie wniosku „{li_request.title}”",
                        action="Przyjmuję wniosek do realizacji" if accept else "Nie przyjmuję wniosku",
                        consequences=[
                            "Rozstrzygnięcie z uzasadnieniem zostanie opublikowane na stronie „Inicjatywa lokalna”.",
                            "Po przyjęciu urząd przygotuje umowę o wykonanie inicjatywy lokalnej."
                            if accept
                            else "Wniosek zostanie zamknięty.",
                        ],
                        notified=[f"Wnioskodawcy: {li_request.initiator_email}"],
                    ),
                )
            else:
                services.request_decide(
                    li_request=li_request,
                    actor=request.user,
                    accept=accept,
                    reasons=decision_form.cleaned_data["reasons"],
                )
                messages.success(request, "Zapisano rozstrzygnięcie; wnioskodawcy dostaną wiadomość.")
                return redirect("grants:li-case", pk)
        if action == "agreement" and agreement_form.is_valid():
            data = {k: v for k, v in agreement_form.cleaned_data.items() if k != "budget_line"}
            agreement = services.agreement_create(
                li_request=li_request,
                actor=request.user,
                budget_line=agreement_form.cleaned_data["budget_line"],
                data=data,
            )
            messages.success(request, "Przygotowano projekt umowy.")
            return redirect("grants:li-agreement", agreement.pk)
    except ValidationError as error:
        target = {
            "score": score_form,
            "completion": completion_form,
            "decide": decision_form,
            "agreement": agreement_form,
        }
        apply_validation_error(target.get(action, score_form), error)
    agreement = LocalInitiativeAgreement.objects.filter(request=li_request).first()
    reserves = [services.reserve_position(line) for line in lines.select_related("local_initiative_reserve")]
    return render(
        request,
        "grants/local_initiative/case.html",
        {
            "li_request": li_request,
            "criteria": criteria,
            "scores": scores,
            "score_form": score_form,
            "completion_form": completion_form,
            "decision_form": decision_form,
            "agreement_form": agreement_form,
            "agreement": agreement,
            "reserves": reserves,
            "may_decide": may_decide(request, li_request.authority_id),
            "supporter_list": li_request.supporters.all(),
        },
    )


def _agreement_reauth_when(request, pk):
    return request.POST.get("action") in {"sign", "annex", "terminate"}


@staff_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(when=_agreement_reauth_when)
def agreement_detail(request, pk: int):
    """The agreement: signing, annexes, termination, the authority's spending against the cap, the report."""
    agreement = get_object_or_404(
        managed_agreements(request).select_related(
            "request__rules", "request__organisation", "authority", "budget_line__programme"
        ),
        pk=pk,
    )
    action = request.POST.get("action")
    forms_by_action = {
        "sign": forms.SignForm(request.POST if action == "sign" else None),
        "annex": forms.AnnexForm(request.POST if action == "annex" else None),
        "terminate": forms.TerminateForm(request.POST if action == "terminate" else None),
        "expense": forms.ExpenseForm(request.POST if action == "expense" else None),
        "review": forms.ReportReviewForm(request.POST if action == "review" else None),
    }
    form = forms_by_action.get(action)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if action in {"sign", "annex", "terminate"} and not may_decide(request, agreement.authority_id):
                raise PermissionDenied
            if action == "sign":
                services.agreement_sign(agreement=agreement, actor=request.user, **data)
                messages.success(request, "Umowę zawarto.")
            elif action == "annex":
                services.agreement_annex(agreement=agreement, actor=request.user, **data)
                messages.success(request, "Zapisano aneks.")
            elif action == "terminate":
                services.agreement_terminate(agreement=agreement, actor=request.user, **data)
                messages.success(request, "Umowę rozwiązano.")
            elif action == "expense":
                expense = services.expense_record(agreement=agreement, actor=request.user, **data)
                messages.success(request, f"Zapisano wydatek {format_money(expense.amount)}.")
            elif action == "review":
                report = getattr(agreement, "report", None)
                if report is None:
                    raise ValidationError("Wnioskodawcy nie złożyli jeszcze sprawozdania.")
                services.report_review(
                    report=report, actor=request.user, accept=data["decision"] == "accept", note=data["note"]
                )
                messages.success(request, "Zapisano ocenę sprawozdania.")
            return redirect("grants:li-agreement", agreement.pk)
        except ValidationError as error:
            apply_validation_error(form, error)
    expenses = list(agreement.expenses.select_related("recorded_by"))
    spent = sum((e.amount for e in expenses), 0)
    report = getattr(agreement, "report", None) if hasattr(agreement, "report") else None
    return render(
        request,
        "grants/local_initiative/agreement.html",
        {
            "agreement": agreement,
            "li_request": agreement.request,
            "expenses": expenses,
            "spent": spent,
            "left": agreement.spending_cap - spent,
            "annexes": agreement.annexes.all(),
            "report": report,
            "social_work_value": report.social_work_value(agreement.request.social_work_rate) if report else None,
            "may_decide": may_decide(request, agreement.authority_id),
            **{f"{name}_form": f for name, f in forms_by_action.items()},
        },
    )


def decided_counts(authority_ids=None):
    """Requests per status, for the office's overview."""
    queryset = LocalInitiativeRequest.objects.all()
    if authority_ids is not None:
        queryset = queryset.filter(authority_id__in=authority_ids)
    return dict(queryset.values_list("status").annotate(n=Count("pk", filter=~Q(status="draft"))))
