from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.roles import roles_of
from config.forms import apply_validation_error
from reports.rendering import pdf_when_ready

from . import services
from .forms import MessageForm, OfficeMessageForm
from .models import Message, MessageAttachment, MessageRead, Side
from .threads import side_of, thread_get, thread_of_message

PAGE_SIZE = 50


def thread_messages(thread):
    """The thread's messages with their attachments and read receipts (three queries whatever the length)."""
    return (
        Message.objects.in_thread(thread)
        .select_related("author")
        .prefetch_related("attachments", Prefetch("reads", MessageRead.objects.select_related("user")))
    )


@login_required
def thread(request, kind: str, pk: int):
    """The correspondence of one case, for both parties: read receipts, official requests, attachments."""
    thread, side = thread_get(request, kind, pk)
    form_class = OfficeMessageForm if side == Side.OFFICE else MessageForm
    form = form_class(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            message = services.message_send(
                thread=thread,
                actor=request.user,
                side=side,
                text=data["text"],
                files=data["files"],
                official_request=data.get("official_request", False),
                response_deadline=data.get("response_deadline"),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            flash.success(request, "Wysłano wiadomość." if not message.official_request else "Wysłano wezwanie.")
            return redirect(thread.url() + f"#wiadomosc-{message.pk}")
    services.thread_mark_read(thread=thread, actor=request.user, side=side)
    items = list(thread_messages(thread))
    return render(
        request,
        "correspondence/thread.html",
        {
            "thread": thread,
            "side": side,
            "messages_list": items,
            "form": form,
            "case_url": thread.case_url(side),
            "today": timezone.localdate(),
        },
    )


@login_required
def inbox(request):
    """The newest messages of every case the person is a party to, unread ones marked, with open requests."""
    roles = roles_of(request)
    visible = Message.objects.visible_to(roles)
    page = Paginator(
        visible.with_read_by(request.user)
        .select_related("author", "organisation", "offer", "agreement", "grant_report__agreement")
        .order_by("-sent_at", "-pk"),
        PAGE_SIZE,
    ).get_page(request.GET.get("strona"))
    for message in page:
        mine = Side.ORGANISATION if message.organisation_id in roles.organisation_ids else Side.OFFICE
        message.unread = message.side != mine and not message.read_by_me
    requests = (
        visible.open_requests()
        .filter(organisation_id__in=roles.organisation_ids)
        .select_related("offer", "agreement", "grant_report__agreement", "organisation")
        .order_by("response_deadline", "pk")
    )
    return render(request, "correspondence/inbox.html", {"page": page, "open_requests": requests})


@login_required
def thread_pdf(request, kind: str, pk: int):
    """The case's correspondence as a PDF for the file (teczka sprawy), laid out by the background worker."""
    thread, side = thread_get(request, kind, pk)
    context = {"thread": thread, "messages_list": list(thread_messages(thread)), "printed_at": timezone.now()}
    filename = f"korespondencja-{thread.kind}-{thread.obj.pk}.pdf"
    return pdf_when_ready(request, "correspondence/thread_pdf.html", context, filename)


@login_required
def attachment_download(request, pk: int):
    attachment = get_object_or_404(MessageAttachment.objects.select_related("message"), pk=pk)
    if side_of(request, thread_of_message(attachment.message)) is None:
        raise Http404
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
