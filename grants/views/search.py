"""The office's search box (``grants.search``)."""

from django.shortcuts import render

from accounts.permissions import staff_required

from ..search import MIN_LENGTH, staff_search


@staff_required
def staff_search_page(request):
    text = request.GET.get("q", "").strip()[:200]
    groups = staff_search(request, text)
    return render(
        request,
        "grants/search.html",
        {
            "q": text,
            "groups": groups,
            "nonempty": [group for group in groups if group.rows],
            "found": sum(len(group.rows) for group in groups),
            "too_short": bool(text) and len(text) < MIN_LENGTH,
        },
    )
