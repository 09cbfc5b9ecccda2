"""Small grants (art. 19a) and own-initiative offers (art. 12): the NGO's form, the public page, the office's case."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Min, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from accounts.permissions import staff_required
from accounts.ratelimit import TOO_MANY, limit_reached
from accounts.reauth import reauthentication_required
from accounts.roles import roles_of
from config.confirm import Confirmation, confirmation_page, is_confirmed, is_going_back
from config.drafts import typed_data, typed_input, valid_part
from config.forms import apply_validation_error, filtered
from config.polish import format_money
from config.tenancy import current_authority, scoped
from programmes.models import Authority
from programmes.permissions import managed_authorities, managed_authority_ids, restrict_to_managed
from reports.pdf import pdf_response

from ..checks import offer_problems
from ..exports import small_grants_response
from ..filters import SmallGrantFilter, year_choices
from ..forms.offers import AttachmentForm
from ..forms.small_grants import (
    AppealDecisionForm,
    AppealForm,
    AssessmentForm,
    AwardForm,
    ConsiderationForm,
    CostFormSet,
    DirectOfferStartForm,
    PublicCommentForm,
    RefusalForm,
    SimplifiedOfferForm,
    cost_rows,
)
from ..models import Appeal, Award, Offer, OwnInitiativeAssessment, PublicComment, SmallGrantPublication
from ..models.small_grants import office_due, received_on
from ..permissions import offers_of_my_organisations
from ..services import offers as offer_services
from ..services import small_grants as services
from ..small_grant_rules import cap_gauge, direct_offer_deadlines, organisation_totals, waiting_direct_offers
from .documents import version_pdf_response

DIRECT_KINDS = [Offer.Kind.SMALL_GRANT, Offer.Kind.OWN_INITIATIVE]


# --- NGO --------------------------------------------------------------------------------------------------------


def _my_direct_offers(request):
    return offers_of_my_organisations(request).filter(kind__in=DIRECT_KINDS)


@login_required
def my_direct_offers(request):
    offers = (
        _my_direct_offers(request)
        .select_related(
            "organisation",
            "current_version",
            "direct__authority",
            "publication",
            "award__agreement",
            "award__offer_update",
            "assessment",
        )
        .prefetch_related("award__agreement__grant_reports")
        .order_by("-updated_at")
    )
    return render(request, "grants/small_grants/my_offers.html", {"offers": offers})


@login_required
@require_http_methods(["GET", "POST"])
def direct_offer_start(request):
    roles = roles_of(request)
    organisations = [m.organisation for m in roles.memberships]
    if not organisations:
        messages.info(request, "Ofertę składa się w imieniu organizacji: najpierw dołącz do organizacji lub ją dodaj.")
        return redirect("accounts:ngo-home")
    authorities = Authority.objects.all()
    form = DirectOfferStartForm(
        request.POST or None,
        organisations=organisations,
        authorities=authorities,
        initial={
            "kind": request.GET.get("rodzaj", Offer.Kind.SMALL_GRANT),
            "authority": current_authority(request) or authorities.the_only_one(),
        },
    )
    if request.method == "POST" and form.is_valid():
        organisation = {o.pk: o for o in organisations}[form.cleaned_data["organisation"]]
        try:
            offer = services.direct_offer_start(
                kind=form.cleaned_data["kind"],
                authority=form.cleaned_data["authority"],
                organisation=organisation,
                actor=request.user,
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            return redirect("grants:small-grant-edit", pk=offer.pk)
    return render(request, "grants/small_grants/start.html", {"form": form})


def _cost_initial(offer: Offer) -> list[dict]:
    return list(offer.cost_items.values("name", "unit", "unit_cost", "quantity", "from_grant"))


@login_required
@require_http_methods(["GET", "POST"])
def direct_offer_edit(request, pk: int):
    offer = get_object_or_404(_my_direct_offers(request).select_related("direct__authority", "organisation"), pk=pk)
    if offer.organisation_id not in roles_of(request).organisation_ids:
        raise PermissionDenied
    small_grant = offer.kind == Offer.Kind.SMALL_GRANT
    window_error = offer_services.editing_window_error(offer, timezone.now())
    data = request.POST if request.method == "POST" else None
    if data is None and offer.typed_input:
        data = typed_data(offer.typed_input, revision=offer.revision)  # shown again with its errors
    form = SimplifiedOfferForm(data, instance=offer if data is None else Offer.objects.get(pk=offer.pk))
    costs = CostFormSet(data, prefix="costs", initial=None if data else _cost_initial(offer))
    valid = data is not None and all([form.is_valid(), costs.is_valid()])
    revision = form.cleaned_data.get("revision") if data is not None else None
    if request.method == "POST" and revision is not None:
        # A draft saves everything typed, valid or not (config/drafts.py); submission needs a valid offer.
        rows = cost_rows(costs, small_grant) if costs.is_valid() else None
        service_data = {name: value for name, value in valid_part(form).items() if name != "revision"}
        if small_grant and rows is not None:
            service_data["grant_amount"] = sum((row["from_grant"] for row in rows), start=0)
        try:
            offer_services.offer_save(
                offer=offer,
                actor=request.user,
                expected_revision=revision,
                data=service_data,
                activities=[],
                results=[],
                cost_items=rows,
                partners=[],
                typed_input=None if valid else typed_input(request.POST),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            if not valid:
                messages.warning(request, "Zapisano wersję roboczą ze wszystkim, co wpisano. Popraw zaznaczone pola.")
                return redirect("grants:small-grant-edit", pk=offer.pk)
            messages.success(request, "Zapisano wersję roboczą oferty.")
            if "check" in request.POST:
                return redirect("grants:small-grant-submit", pk=offer.pk)
            return redirect("grants:small-grant-edit", pk=offer.pk)
    elif data is not None and not valid:
        form.add_error(None, "Zapisaliśmy wszystko, co wpisano, ale zaznaczone pola wymagają poprawy.")
    offer.refresh_from_db()
    return render(
        request,
        "grants/small_grants/offer_form.html",
        {
            "offer": offer,
            "form": form,
            "costs": costs,
            "window_error": window_error,
            "totals": offer.cost_totals(),
            "small_grant": small_grant,
            "attachments": offer.attachments.all(),
            "attachment_form": AttachmentForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def direct_offer_submit(request, pk: int):
    offer = get_object_or_404(_my_direct_offers(request).select_related("direct__authority", "organisation"), pk=pk)
    if offer.organisation_id not in roles_of(request).organisation_ids:
        raise PermissionDenied
    if request.method == "POST":
        try:
            version = offer_services.offer_submit(
                offer=offer, actor=request.user, revision=int(request.POST.get("revision", 0))
            )
        except (ValidationError, ValueError) as error:
            for message in getattr(error, "messages", ["Nie udało się złożyć oferty."]):
                messages.error(request, message)
        else:
            return redirect("grants:receipt", pk=offer.pk, number=version.number)
    return render(
        request,
        "grants/small_grants/offer_submit.html",
        {
            "offer": offer,
            "problems": offer_problems(offer),
            "window_error": offer_services.editing_window_error(offer, timezone.now()),
            "totals": offer.cost_totals(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def appeal_file(request, pk: int):
    offer = get_object_or_404(
        _my_direct_offers(request).filter(kind=Offer.Kind.SMALL_GRANT).select_related("award", "direct"), pk=pk
    )
    award = getattr(offer, "award", None)
    if award is None or award.status != Award.Status.REFUSED:
        raise Http404
    form = AppealForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.small_grant_appeal(offer=offer, grounds=form.cleaned_data["grounds"], actor=request.user)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, "Złożono odwołanie.")
            return redirect("grants:small-grant-mine")
    return render(
        request,
        "grants/small_grants/appeal.html",
        {"offer": offer, "award": award, "form": form, "deadline": services.appeal_deadline(offer, award)},
    )


# --- public ------------------------------------------------------------------------------------------------------


def _published(request):
    offers = Offer.objects.filter(kind=Offer.Kind.SMALL_GRANT, publication__isnull=False).select_related(
        "organisation", "publication", "current_version", "direct__authority", "award"
    )
    return scoped(request, offers, "direct__authority")


def public_list(request):
    now = timezone.now()
    offers = _published(request).annotate(comment_count=Count("public_comments")).order_by("-publication__published_at")
    open_now = [o for o in offers if o.publication.accepts_comments_at(now)]
    closed = [o for o in offers if not o.publication.accepts_comments_at(now)]
    return render(
        request,
        "grants/small_grants/public_list.html",
        {
            "open_now": open_now,
            "closed": closed[:50],
            "authority": current_authority(request) or Authority.objects.the_only_one(),
        },
    )


@require_http_methods(["GET", "POST"])
def public_detail(request, public_id):
    offer = get_object_or_404(_published(request), public_id=public_id)
    publication = offer.publication
    now = timezone.now()
    form = PublicCommentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid() and form.is_bot:
            form.add_error(None, "Nie przyjęto uwagi.")
        elif form.is_valid():
            # Anonymous comments: a few per hour from one address, counted for every worker (settings.RATE_LIMITS).
            if limit_reached(request, "small-grant-comment"):
                form.add_error(None, TOO_MANY)
                status = 429
            else:
                try:
                    data = form.cleaned_data
                    services.public_comment_add(
                        offer=offer, now=now, name=data["name"], email=data["email"], text=data["text"]
                    )
                except ValidationError as error:
                    apply_validation_error(form, error)
                else:
                    messages.success(request, "Dziękujemy. Uwaga została przyjęta i zostanie rozpatrzona przez urząd.")
                    return redirect("grants:small-grant-public", public_id=offer.public_id)
    award = getattr(offer, "award", None)
    return render(
        request,
        "grants/small_grants/public_detail.html",
        {
            "offer": offer,
            "version": offer.current_version,
            "data": offer.current_version.data,
            "public": True,
            "publication": publication,
            "accepts_comments": publication.accepts_comments_at(now),
            "form": form,
            "award": award if award and award.status != Award.Status.PROPOSED else None,
            "comments": offer.public_comments.filter(considered_at__isnull=False) if award else [],
            # S4 § 16 ust. 3 pkt 10: the executive's position on an appeal is published too.
            "appeal": Appeal.objects.filter(offer=offer, decided_at__isnull=False).first(),
        },
        status=status,
    )


def public_pdf(request, public_id):
    offer = get_object_or_404(_published(request), public_id=public_id)
    # The published copy leaves out the contact person's and the submitter's personal data (RODO).
    version = offer.current_version
    return pdf_response(
        "grants/offer_pdf.html",
        {"data": version.data, "version": version, "public": True},
        f"mala-dotacja-{offer.pk}.pdf",
    )


# --- office ------------------------------------------------------------------------------------------------------


def managed_direct_offers(request):
    """Offers outside calls addressed to the authorities this office person works for; other ids reach nothing."""
    offers = Offer.objects.filter(kind__in=DIRECT_KINDS).exclude(status=Offer.Status.DRAFT)
    return restrict_to_managed(request, offers, lookup="direct__authority_id")


def _default_year() -> int:
    """The budget year being worked on: from October, next year's (its small grants are prepared then)."""
    today = timezone.localdate()
    return today.year + (1 if today.month >= 10 else 0)


def _year_query(request):
    """The page's query with ``rok`` settled: the year buttons, the filter's „Rok budżetowy” and the downloads are
    one parameter. No ``rok`` (or one outside the filter's years) means the default year; ``rok=`` (the filter's
    „wszystkie lata”) every year. Returns the query and the year of the limits shown (the chosen or the default)."""
    query = request.GET.copy()
    value = query.get("rok")
    if value == "":
        return query, _default_year()
    if value not in {choice for choice, _ in year_choices()}:
        query["rok"] = str(_default_year())
    return query, int(query["rok"])


def _year_links(query) -> list[tuple[str, str, bool]]:
    """One button per year the filter offers, and „wszystkie lata”, each keeping the other filters."""
    links = []
    for value, label in [*sorted(year_choices()), ("", "wszystkie lata")]:
        target = query.copy()
        target.pop("strona", None)
        target["rok"] = value
        links.append((label, target.urlencode(), query.get("rok") == value))
    return links


@staff_required
def staff_list(request):
    query, year = _year_query(request)
    today = timezone.localdate()
    ids = managed_authority_ids(request)
    gauges = []
    for authority in managed_authorities(request):
        gauge = cap_gauge(authority.pk, year, today)
        limit = gauge["limits"].max_per_organisation_year
        gauges.append(
            {**gauge, "authority": authority, "organisations": organisation_totals(authority.pk, year, limit)}
        )
    filterset = _small_grant_filter(request, query)
    waiting = direct_offer_deadlines(waiting_direct_offers(ids), today)
    without_page = query.copy()
    without_page.pop("strona", None)
    return render(
        request,
        "grants/small_grants/staff_list.html",
        {
            "year": year,
            "year_links": _year_links(query),
            "gauges": gauges,
            "offers": filtered(filterset),
            "filter": filterset,
            "query": without_page.urlencode(),
            "waiting": waiting,
        },
    )


def _small_grant_filter(request, query) -> SmallGrantFilter:
    offers = (
        managed_direct_offers(request)
        .select_related(
            "organisation",
            "current_version",
            "direct__authority",
            "publication",
            "award__agreement",
            "award__offer_update",
            "assessment",
        )
        .prefetch_related("award__agreement__grant_reports")
        .annotate(
            first_submitted_at=Min("versions__submitted_at"),
            unconsidered=Count("public_comments", filter=Q(public_comments__considered_at__isnull=True)),
        )
        .order_by("-first_submitted_at")
    )
    return SmallGrantFilter(query, queryset=offers)


@staff_required
def staff_export(request, fmt: str):
    # As asked: the list page's download links always carry its ``rok`` (``rok=`` for every year).
    return small_grants_response(filtered(_small_grant_filter(request, request.GET or None)), fmt)


def _case_action(request, offer: Offer) -> tuple[object, str | None]:
    """Run the POSTed action; return the form to show again (with errors) and a success message."""
    action = request.POST.get("action")
    user = request.user
    if action == "publish":
        services.small_grant_publish(offer=offer, actor=user)
        return None, "Oferta została opublikowana na 7 dni na stronie „Małe granty”."
    if action == "consider":
        form = ConsiderationForm(request.POST)
        if not form.is_valid():
            return form, None
        comment = get_object_or_404(PublicComment, pk=form.cleaned_data["comment"], offer=offer)
        services.comment_consider(comment=comment, actor=user, consideration=form.cleaned_data["consideration"])
        return None, "Zapisano sposób rozpatrzenia uwagi."
    if action == "award":
        form = AwardForm(request.POST)
        if not form.is_valid():
            return form, None
        services.small_grant_award(offer=offer, amount=form.cleaned_data["amount"], actor=user)
        return None, "Przyznano dotację. Decyzja została opublikowana; przygotuj umowę."
    if action == "refuse":
        form = RefusalForm(request.POST)
        if not form.is_valid():
            return form, None
        services.small_grant_refuse(offer=offer, reasons=form.cleaned_data["reasons"], actor=user)
        return None, "Odmówiono przyznania dotacji. Decyzja została opublikowana."
    if action == "appeal":
        form = AppealDecisionForm(request.POST)
        if not form.is_valid():
            return form, None
        appeal = get_object_or_404(Appeal, offer=offer)
        services.small_grant_appeal_decide(appeal=appeal, actor=user, **form.cleaned_data)
        return None, "Rozpatrzono odwołanie."
    if action == "assess":
        form = AssessmentForm(request.POST)
        if not form.is_valid():
            return form, None
        services.own_initiative_assess(offer=offer, actor=user, **form.cleaned_data)
        return None, "Zapisano ocenę celowości; oferent otrzyma ją e-mailem."
    raise Http404


def _offeror_notified(offer: Offer, what: str) -> list[str]:
    addresses = ", ".join(offer.recipients)
    return [
        f"Oferent – {offer.organisation.name}: członkowie organizacji (w portalu i e-mailem, według swoich "
        f"ustawień powiadomień){f' oraz {addresses}' if addresses else ''} – {what}."
    ]


def _award_confirmation(request, offer: Offer, data: dict) -> Confirmation:
    services.small_grant_award_check(offer=offer, amount=data["amount"], actor=request.user)
    version = offer.current_version
    return Confirmation(
        title=f"Przyznaj dotację – {offer.organisation.name}, oferta „{offer.title}”",
        action="przyznaj dotację",
        consequences=[
            f"{offer.organisation.name} otrzyma małą dotację w kwocie {format_money(data['amount'])} "
            f"(wnioskowano {format_money(version.grant_amount)}) na zadanie „{offer.title}” realizowane "
            f"od {version.start_date:%d.%m.%Y} do {version.end_date:%d.%m.%Y}.",
            "Decyzja zostanie zapisana z datą i Twoim nazwiskiem i od razu opublikowana na publicznej stronie "
            "oferty w serwisie „Małe granty”, razem ze sposobem rozpatrzenia uwag.",
            f"Kwota wejdzie do limitów art. 19a roku {version.start_date.year}; następny krok to umowa.",
        ],
        notified=_offeror_notified(offer, "decyzja o przyznaniu dotacji i jej kwota"),
    )


def _refusal_confirmation(request, offer: Offer, data: dict) -> Confirmation:
    services.small_grant_refuse_check(offer=offer, reasons=data["reasons"], actor=request.user)
    version = offer.current_version
    days = services.appeal_days(offer)
    return Confirmation(
        title=f"Odmów przyznania dotacji – {offer.organisation.name}, oferta „{offer.title}”",
        action="odmów przyznania dotacji",
        consequences=[
            f"{offer.organisation.name} nie otrzyma małej dotacji na zadanie „{offer.title}” (wnioskowano "
            f"{format_money(version.grant_amount)}).",
            f"Decyzja zostanie zapisana z datą i Twoim nazwiskiem i od razu opublikowana na publicznej stronie "
            f"oferty w serwisie „Małe granty” z uzasadnieniem: „{data['reasons'].strip()}”",
            f"Oferent może się odwołać w ciągu {days} dni od publikacji decyzji (program współpracy)."
            if days
            else "Program współpracy nie przewiduje odwołania od tej decyzji.",
        ],
        notified=_offeror_notified(
            offer, "decyzja o odmowie z uzasadnieniem" + (" i terminem na odwołanie" if days else "")
        ),
    )


class PublishForm(forms.Form):
    """Publishing asks nothing: the confirmation says what will be shown and until when."""


def _publish_confirmation(request, offer: Offer, data: dict) -> Confirmation:
    services.small_grant_publish_check(offer=offer, actor=request.user)
    version = offer.current_version
    until = timezone.localtime(SmallGrantPublication.period_end(timezone.now()))
    bip = offer.direct.authority.bip_url
    return Confirmation(
        title=f"Opublikuj ofertę – {offer.organisation.name}, „{offer.title}”",
        action="opublikuj ofertę na 7 dni",
        consequences=[
            f"Oferta „{offer.title}” ({offer.organisation.name}, wnioskowana dotacja "
            f"{format_money(version.grant_amount)}) zostanie opublikowana w serwisie „Małe granty”"
            + (f" i wskazana w BIP ({bip})" if bip else "")
            + f" na 7 dni: każdy może zgłaszać do niej uwagi do {until:%d.%m.%Y, %H:%M} (art. 19a ust. 3).",
            "Od publikacji oferty nie można już zmienić; o dotacji zdecydujesz po upływie tych 7 dni, "
            "po rozpatrzeniu uwag.",
        ],
        notified=_offeror_notified(offer, "publikacja oferty i termin na uwagi"),
    )


def _assessment_confirmation(request, offer: Offer, data: dict) -> Confirmation:
    services.own_initiative_assess_check(offer=offer, actor=request.user, **data)
    outcome = OwnInitiativeAssessment.Outcome(data["outcome"]).label
    consequences = [f"Zostanie zapisana ocena zadania „{offer.title}” ({offer.organisation.name}): {outcome}."]
    if data["outcome"] == OwnInitiativeAssessment.Outcome.WORTHWHILE:
        mode = OwnInitiativeAssessment.CommissioningMode(data["commissioning_mode"]).label
        planned = data.get("planned_call_date")
        consequences.append(
            f"Tryb zlecenia: {mode}"
            + (f"; planowany termin ogłoszenia otwartego konkursu ofert: {planned:%d.%m.%Y}" if planned else "")
            + "."
        )
    consequences.append(
        f"Zapis będzie miał datę i Twoje nazwisko; uzasadnienie: „{data['reasons'].strip()}”. Oferta będzie "
        "rozpatrzona i nie będzie można jej już zmienić (art. 12 ust. 2)."
    )
    return Confirmation(
        title=f"Ocena celowości – {offer.organisation.name}, oferta „{offer.title}”",
        action="zapisz ocenę i poinformuj oferenta",
        consequences=consequences,
        notified=_offeror_notified(offer, "ocena celowości zadania z uzasadnieniem (e-mailem)"),
    )


def _appeal_confirmation(request, offer: Offer, data: dict) -> Confirmation:
    appeal = get_object_or_404(Appeal, offer=offer)
    services.small_grant_appeal_decide_check(appeal=appeal, actor=request.user, **data)
    if data["upheld"]:
        consequences = [
            "Odwołanie zostanie uwzględnione: odmowa przyznania dotacji zostanie uchylona, a oferta wróci do "
            "ponownej decyzji (przyznanie albo odmowa) na tej stronie.",
        ]
    else:
        consequences = ["Odwołanie nie zostanie uwzględnione: odmowa przyznania dotacji pozostaje w mocy."]
    consequences.append(
        f"Stanowisko zostanie zapisane z datą i Twoim nazwiskiem i pokazane na publicznej stronie oferty: "
        f"„{data['decision']}”"
    )
    return Confirmation(
        title=f"Rozpatrz odwołanie – {offer.organisation.name}, oferta „{offer.title}”",
        action="rozpatrz odwołanie",
        consequences=consequences,
        notified=_offeror_notified(offer, "stanowisko w sprawie odwołania"),
    )


# The decisions asked first with what will happen: action -> (form, the confirmation, which checks the service).
CONFIRMED_ACTIONS = {
    "publish": (PublishForm, _publish_confirmation),
    "assess": (AssessmentForm, _assessment_confirmation),
    "award": (AwardForm, _award_confirmation),
    "refuse": (RefusalForm, _refusal_confirmation),
    "appeal": (AppealDecisionForm, _appeal_confirmation),
}


def _confirmation_step(request, offer: Offer):
    """A decision is shown first with what will happen (changing nothing); going back, or input the service would
    refuse, shows the form again with what was typed (the refusal on its field). Returns the form to show again,
    or the confirmation page."""
    form_class, confirmation = CONFIRMED_ACTIONS[request.POST["action"]]
    form = form_class(request.POST)
    if is_going_back(request) or not form.is_valid():
        return form, None
    try:
        return None, confirmation_page(request, confirmation(request, offer, form.cleaned_data))
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise  # about the case, not the input: shown as a message
        apply_validation_error(form, error)
        return form, None


@staff_required
@require_http_methods(["GET", "POST"])
@reauthentication_required(when=lambda request, pk: request.POST.get("action") in ("award", "refuse", "appeal"))
def case(request, pk: int):
    offer = get_object_or_404(
        managed_direct_offers(request).select_related(
            "organisation", "current_version", "direct__authority", "publication", "assessment"
        ),
        pk=pk,
    )
    failed = None
    if request.method == "POST":
        try:
            if request.POST.get("action") in CONFIRMED_ACTIONS and not is_confirmed(request):
                failed, page = _confirmation_step(request, offer)
                if page is not None:
                    return page
            else:
                failed, success = _case_action(request, offer)
        except ValidationError as error:
            action = request.POST.get("action")
            if action in CONFIRMED_ACTIONS and hasattr(error, "error_dict"):
                # Refused at the confirmation (e.g. a limit reached meanwhile): the form again, on its field.
                failed = CONFIRMED_ACTIONS[action][0](request.POST)
                failed.is_valid()
                apply_validation_error(failed, error)
            else:
                messages.error(request, " ".join(error.messages))
        else:
            if failed is None:
                messages.success(request, success)
                return redirect("grants:small-grant-case", pk=offer.pk)
    version = offer.current_version
    award = Award.objects.filter(offer=offer).first()
    received = received_on(offer)
    publication = getattr(offer, "publication", None)
    now = timezone.now()
    appeal = Appeal.objects.filter(offer=offer).first()
    roles = roles_of(request)
    action = request.POST.get("action") if failed else None
    context = {
        "offer": offer,
        "version": version,
        "data": version.data if version else None,
        "award": award,
        "agreement": getattr(award, "agreement", None) if award else None,
        "publication": publication,
        "period_over": publication is not None and now > publication.comments_until,
        "received": received,
        "due": office_due(offer, received) if received else None,
        "today": timezone.localdate(),
        "comments": offer.public_comments.select_related("considered_by"),
        "attachments": offer.attachments.all(),
        "appeal": appeal,
        "appeal_deadline": services.appeal_deadline(offer, award) if award else None,
        "can_decide": roles.superuser or offer.direct.authority_id in roles.decider_authority_ids,
        "gauge": cap_gauge(
            offer.direct.authority_id,
            version.start_date.year,
            timezone.localdate(),
        )
        if version and offer.kind == Offer.Kind.SMALL_GRANT and version.data["III"]["start_date"]
        else None,
        "award_form": failed
        if action == "award"
        else AwardForm(initial={"amount": version.grant_amount if version else None}),
        "refusal_form": failed if action == "refuse" else RefusalForm(),
        "appeal_form": failed if action == "appeal" else AppealDecisionForm(),
        "assessment_form": failed if action == "assess" else AssessmentForm(),
    }
    return render(request, "grants/small_grants/case.html", context)


@staff_required
def case_pdf(request, pk: int):
    offer = get_object_or_404(managed_direct_offers(request).select_related("current_version"), pk=pk)
    if offer.current_version is None:
        raise Http404
    return version_pdf_response(offer.current_version)
