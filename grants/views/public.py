from django.contrib.syndication.views import Feed
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from accounts.roles import roles_of
from config.forms import filtered
from config.tenancy import scoped
from reports.models import Publication
from reports.pdf import pdf_response

from ..filters import PublicCallFilter
from ..models import OpenCall
from ..selectors import call_results, same_type_tasks


def call_list(request):
    filterset = PublicCallFilter(request.GET or None, queryset=scoped(request, OpenCall.objects.for_public_list()))
    calls = filtered(filterset)
    page = Paginator(calls, 20).get_page(request.GET.get("strona"))
    query = request.GET.copy()
    query.pop("strona", None)
    return render(request, "grants/call_list.html", {"filter": filterset, "page": page, "query": query.urlencode()})


def _call_context(request, pk: int) -> dict:
    call = get_object_or_404(
        scoped(request, OpenCall.objects.public())
        .select_related("authority", "programme")
        .with_funds()
        .prefetch_related("task_areas", "criteria", "required_attachments", "budget_allocations__budget_line"),
        pk=pk,
    )
    return {"call": call, "same_type": same_type_tasks(call)}


def call_detail(request, pk: int):
    context = _call_context(request, pk)
    roles = roles_of(request)
    context["organisations"] = [m.organisation for m in roles.memberships]
    if context["call"].results_published_at:
        # The results as announced (frozen); results announced before freezing existed are read live.
        publication = Publication.objects.current(Publication.Kind.CALL_RESULTS, context["call"].pk)
        if publication is None:
            context["results"] = call_results(context["call"])
        else:
            context.update(results=True, results_publication=publication, results_frozen=publication.read_html())
            if publication.is_correction:  # corrected: the change register is shown on the page itself
                context.update(publication=publication, versions=list(Publication.objects.of(publication.kind, pk)))
    return render(request, "grants/call_detail.html", context)


def call_pdf(request, pk: int):
    context = _call_context(request, pk)
    return pdf_response("grants/call_pdf.html", context, f"ogloszenie-{context['call'].number.replace('/', '-')}.pdf")


class CallFeed(Feed):
    """Atom feed of newly announced open calls."""

    feed_type = Atom1Feed
    title = "Otwarte konkursy ofert"
    subtitle = "Nowe ogłoszenia otwartych konkursów ofert dla organizacji pozarządowych"

    def get_object(self, request, *args, **kwargs):
        return request  # the authority whose space the feed is in narrows its items

    def link(self):
        return reverse("grants:call-list")

    def items(self, request):
        calls = scoped(request, OpenCall.objects.public())
        return calls.select_related("authority").order_by("-published_bip_on", "-pk")[:30]

    def item_title(self, item):
        return f"{item.number}: {item.title}"

    def item_description(self, item):
        return (
            f"{item.authority.name}. Termin składania ofert: {item.submission_deadline:%d.%m.%Y %H:%M}. "
            f"{item.task_description[:300]}"
        )

    def item_link(self, item):
        return reverse("grants:call-detail", args=[item.pk])

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.created_at
