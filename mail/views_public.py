"""Public ways in: the "Contact support" form, the signed no-password ticket link, provider webhooks."""

from __future__ import annotations

import logging
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt

from tickets import services as ticket_services
from tickets.errors import TicketError
from tickets.mailing import support_address
from tickets.models import Contact, Ticket, Visibility

from .contact_links import read_token
from .forms import ContactForm, ContactReplyForm
from .services import process, store
from .webhooks import VIEWS

log = logging.getLogger(__name__)


def _rate_limited(request: HttpRequest, address: str) -> bool:
    from django_ratelimit.core import is_ratelimited

    try:
        return is_ratelimited(
            request,
            group="mail.contact",
            key=lambda group, req: address.lower(),
            rate=settings.HELPDESK_CONTACT_RATE,
            method="POST",
            increment=True,
        )
    except Exception:  # the cache is down: let the message in rather than lose it
        log.warning("contact form rate limit unavailable", exc_info=True)
        return False


def _as_email(data: dict, files: list) -> bytes:
    msg = EmailMessage()
    msg["From"] = formataddr((data["name"], data["email"]))
    msg["To"] = support_address()
    msg["Subject"] = data["subject"]
    msg["Message-ID"] = make_msgid(domain="contact-form.invalid")
    msg.set_content(data["message"])
    for upload in files:
        maintype, _, subtype = (upload.content_type or "application/octet-stream").partition("/")
        msg.add_attachment(
            upload.read(), maintype=maintype, subtype=subtype or "octet-stream", filename=upload.name
        )
    return msg.as_bytes()


def _upload_errors(files: list) -> list[str]:
    from attachments.services import validate_uploads

    return validate_uploads(files)


def contact(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None)
    if request.method != "POST":
        return render(request, "mail/contact.html", {"form": form})
    files = request.FILES.getlist("attachments")
    if form.is_valid():
        if form.cleaned_data["website"]:  # the honeypot: a bot, answer as if all went well
            return render(request, "mail/contact_done.html", {"ticket": None})
        for error in _upload_errors(files):
            form.add_error(None, error)
        if _rate_limited(request, form.cleaned_data["email"]):
            form.add_error(None, "You have sent several requests in a short time; please wait a while.")
    if not form.is_valid():
        return render(request, "mail/contact.html", {"form": form}, status=400)
    row = store(
        _as_email(form.cleaned_data, files),
        channel="contact",
        envelope_from=form.cleaned_data["email"],
        kick=False,
    )
    process(row.pk)
    row.refresh_from_db()
    return render(request, "mail/contact_done.html", {"ticket": row.ticket, "row": row})


def contact_ticket(request: HttpRequest, token: str) -> HttpResponse:
    found = read_token(token)
    ticket = Ticket.objects.filter(pk=found[0]).first() if found else None
    contact_row = Contact.objects.filter(pk=found[1]).first() if found else None
    if ticket is None or contact_row is None or ticket.requester_id != contact_row.pk:
        raise Http404("This link is not valid or has expired.")
    form = ContactReplyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                message = ticket_services.add_requester_reply(
                    ticket, contact_row, form.cleaned_data["message"]
                )
            except TicketError as exc:
                form.add_error("message", str(exc))
            else:
                messages.success(request, f"Your message was added to #{message.ticket.number}.")
                return redirect(request.path)
        status = 400
    conversation = ticket.messages.filter(visibility=Visibility.PUBLIC).select_related(
        "author_user", "author_contact"
    )
    return render(
        request,
        "mail/contact_ticket.html",
        {"ticket": ticket, "conversation": conversation, "form": form},
        status=status,
    )


@csrf_exempt
def provider_webhook(request: HttpRequest, provider: str) -> HttpResponse:
    view_class = VIEWS.get(provider)
    if view_class is None:
        raise Http404("Unknown provider.")
    if not settings.ANYMAIL.get("WEBHOOK_SECRET") and provider not in ("mailgun", "postal", "resend"):
        return HttpResponse("Inbound webhooks are off until ANYMAIL_WEBHOOK_SECRET is set.", status=403)
    try:
        view = view_class.as_view()
    except ImproperlyConfigured as exc:
        return HttpResponse(f"Webhook not configured: {exc}", status=403)
    try:
        return view(request)
    except ImproperlyConfigured as exc:
        return HttpResponse(f"Webhook not configured: {exc}", status=403)
