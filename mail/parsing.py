"""Turn raw RFC 822 bytes into what the helpdesk needs, never raising on bad input (issue #13 "Parsing that
real mail survives"): headers decoded (RFC 2047), any charset decoded with replacement (and a warning),
text preferred, HTML converted to readable text and kept sanitised, quoted history folded away, attachments
and inline ``cid:`` images collected, automatic mail and delivery reports recognised."""

from __future__ import annotations

import email
import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.utils import getaddresses, parseaddr
from typing import Any

from .htmltext import html_to_text, sanitize

MAX_ATTACHMENTS = 100


@dataclass
class Attachment:
    filename: str
    content: bytes
    content_type: str
    content_id: str = ""


@dataclass
class ParsedEmail:
    message_id: str = ""
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    from_email: str = ""
    from_name: str = ""
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    subject: str = ""
    text: str = ""  # the whole text as received
    reply_text: str = ""  # the newest part only: quoted history and signature folded away
    html: str = ""  # sanitised HTML body, when the message had one
    attachments: list[Attachment] = field(default_factory=list)
    auto_reason: str = ""  # why this is automatic mail that must never open a ticket or get a reply
    is_bounce: bool = False
    bounced_message_ids: list[str] = field(default_factory=list)
    bounce_summary: str = ""
    forwarded_from: tuple[str, str] | None = None  # (name, email) of the original sender
    warnings: list[str] = field(default_factory=list)

    @property
    def thread_ids(self) -> list[str]:
        seen: dict[str, None] = {}
        for mid in [*self.in_reply_to, *reversed(self.references)]:
            seen.setdefault(mid, None)
        return list(seen)[:50]


_MSGID = re.compile(r"<([^<>\s]{1,245})>")


def message_ids(value: str) -> list[str]:
    return [f"<{m}>" for m in _MSGID.findall(value or "")]


def normalise_message_id(value: str) -> str:
    found = message_ids(value)
    if found:
        return found[0][:250]
    value = (value or "").strip()
    return f"<{value}>"[:250] if value and " " not in value else ""


def fallback_message_id(raw: bytes) -> str:
    """A stable stand-in for a message without a Message-ID (so the same bytes are recognised again)."""
    return f"<sha256-{hashlib.sha256(raw).hexdigest()[:40]}@no-message-id>"


def parse(raw: bytes) -> ParsedEmail:
    out = ParsedEmail()
    msg = email.message_from_bytes(raw, policy=policy.default)
    if msg.defects:
        out.warnings.append(
            "Malformed message structure: " + ", ".join(type(d).__name__ for d in msg.defects[:5])
        )
    out.message_id = normalise_message_id(_header(msg, "Message-ID", out))
    out.in_reply_to = message_ids(_header(msg, "In-Reply-To", out))
    out.references = message_ids(_header(msg, "References", out))[-100:]
    out.subject = " ".join(_header(msg, "Subject", out).split())[:250]
    name, addr = _first_address(_header(msg, "From", out))
    out.from_name, out.from_email = name, addr
    if not addr:
        out.warnings.append("The message has no usable From address.")
    out.to = _addresses(_header_all(msg, "To", out) + _header_all(msg, "Delivered-To", out))
    out.cc = _addresses(_header_all(msg, "Cc", out))
    out.auto_reason = _auto_reason(msg, out)
    _walk(msg, out)
    if out.is_bounce:
        out.auto_reason = out.auto_reason or "delivery report"
    out.reply_text = _fold_reply(out.text) if out.text else ""
    if out.subject and re.match(r"^\s*(fwd?|fw)\s*:", out.subject, re.I):
        out.forwarded_from = forwarded_sender(out.text)
    return out


# --- headers ---------------------------------------------------------------------------------------------


def _header(msg: Message, name: str, out: ParsedEmail) -> str:
    try:
        value = msg.get(name)
        return str(value) if value is not None else ""
    except Exception as exc:  # a header the parser cannot decode: keep its raw form
        out.warnings.append(f"Header {name} could not be decoded ({type(exc).__name__}).")
        raw = msg.get_all(name, failobj=[""]) if hasattr(msg, "get_all") else [""]
        return _raw_text(raw[0])


def _header_all(msg: Message, name: str, out: ParsedEmail) -> list[str]:
    try:
        return [str(v) for v in msg.get_all(name, [])]
    except Exception as exc:
        out.warnings.append(f"Header {name} could not be decoded ({type(exc).__name__}).")
        return []


def _raw_text(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)


def _first_address(value: str) -> tuple[str, str]:
    found = _pairs([value])
    return found[0] if found else ("", "")


def _pairs(values: list[str]) -> list[tuple[str, str]]:
    pairs = []
    for name, addr in getaddresses(values):
        addr = addr.strip().lower()
        if "@" in addr and " " not in addr and len(addr) <= 254:
            pairs.append((name.strip()[:200], addr))
    return pairs


def _addresses(values: list[str]) -> list[str]:
    seen: dict[str, None] = {}
    for _, addr in _pairs(values):
        seen.setdefault(addr, None)
    return list(seen)


def _auto_reason(msg: Message, out: ParsedEmail) -> str:
    auto = _header(msg, "Auto-Submitted", out).strip().lower()
    if auto and auto != "no":
        return f"Auto-Submitted: {auto}"
    precedence = _header(msg, "Precedence", out).strip().lower()
    if precedence in {"bulk", "junk", "list", "auto_reply"}:
        return f"Precedence: {precedence}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Auto-Response-Suppress"):
        if msg.get(name) is not None:
            return f"{name} header"
    return ""


# --- body and parts --------------------------------------------------------------------------------------


def decode_part(part: Message, out: ParsedEmail) -> str:
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if payload is None:
        raw = part.get_payload()
        payload = raw.encode("utf-8", "replace") if isinstance(raw, str) else b""
    declared = (part.get_content_charset() or "").lower()
    for charset in [c for c in (declared, "utf-8") if c]:
        try:
            return payload.decode(charset)
        except (LookupError, UnicodeDecodeError):
            continue
    out.warnings.append(
        f"The text was not valid {declared or 'UTF-8'}; it was read as Windows-1252 "
        "and may show odd characters."
    )
    return payload.decode("cp1252", "replace")


def _walk(msg: Message, out: ParsedEmail) -> None:
    texts: list[str] = []
    htmls: list[str] = []
    if msg.get_content_type() == "multipart/report":
        out.is_bounce = "delivery-status" in (msg.get_param("report-type") or "").lower()
    skip: set[int] = set()
    for part in msg.walk():
        ctype = part.get_content_type()
        if id(part) in skip:
            continue
        if ctype == "message/delivery-status":
            blocks = part.get_payload()
            skip |= {id(b) for b in blocks} if isinstance(blocks, list) else set()
            if out.is_bounce:
                _delivery_status(blocks if isinstance(blocks, list) else [], out)
            continue
        if part.is_multipart():
            continue
        disposition = (part.get_content_disposition() or "").lower()
        filename = _filename(part)
        if out.is_bounce and ctype in ("text/rfc822-headers", "message/rfc822"):
            _bounce_part(part, ctype, out)
            if ctype != "message/rfc822":
                continue
        if ctype.startswith("multipart/"):  # a multipart without a usable boundary: read it as text
            ctype = "text/plain"
        if ctype in ("text/plain", "text/html") and disposition != "attachment" and not filename:
            (texts if ctype == "text/plain" else htmls).append(decode_part(part, out))
            continue
        _attachment(part, ctype, filename, out)
    html = "\n".join(htmls)
    if html:
        out.html = sanitize(html, [a.content_id for a in out.attachments if a.content_id])
    out.text = "\n\n".join(t.strip("\n") for t in texts if t.strip()) or (html_to_text(html) if html else "")
    out.text = out.text.replace("\r\n", "\n").replace("\x00", "")


def _filename(part: Message) -> str:
    try:
        return (part.get_filename() or "").strip()
    except Exception:
        return "attachment"


def _attachment(part: Message, ctype: str, filename: str, out: ParsedEmail) -> None:
    if len(out.attachments) >= MAX_ATTACHMENTS:
        out.warnings.append(f"More than {MAX_ATTACHMENTS} attachments: the rest stay in the original email.")
        return
    if ctype == "message/rfc822":
        inner = part.get_payload()
        content = inner[0].as_bytes() if isinstance(inner, list) and inner else part.as_bytes()
        filename = filename or "forwarded-message.eml"
    else:
        try:
            content = part.get_payload(decode=True) or b""
        except Exception:
            content = b""
    cid = (part.get("Content-ID") or "").strip().strip("<>")[:200]
    if not filename:
        ext = {"image/png": ".png", "image/jpeg": ".jpg", "image/gif": ".gif"}.get(ctype, ".bin")
        filename = f"{'inline' if cid else 'attachment'}-{len(out.attachments) + 1}{ext}"
    out.attachments.append(Attachment(filename[:200], content, ctype, cid))


def _bounce_part(part: Message, ctype: str, out: ParsedEmail) -> None:
    if ctype == "message/rfc822":
        inner = part.get_payload()
        original = inner[0] if isinstance(inner, list) and inner else None
        if original is not None:
            out.bounced_message_ids += message_ids(str(original.get("Message-ID", "")))
        return
    text = decode_part(part, out)
    match = re.search(r"^Message-ID:\s*(.+)$", text, re.I | re.M)
    if match:
        out.bounced_message_ids += message_ids(match.group(1))


def _delivery_status(blocks: list, out: ParsedEmail) -> None:
    found = []
    for block in blocks:
        for name in ("Final-Recipient", "Action", "Status", "Diagnostic-Code"):
            value = block.get(name) if hasattr(block, "get") else None
            if value:
                found.append(f"{name}: {' '.join(str(value).split())}")
    out.bounce_summary = "; ".join(found)[:500]


# --- quoted history and forwards ------------------------------------------------------------------------

_QUOTE_HEADER = re.compile(
    r"^\s*(On .{5,200} wrote:|Le .{5,200} a écrit\s?:|Am .{5,200} schrieb .{0,100}:)\s*$", re.M
)


def _fold_reply(text: str) -> str:
    from mailparser_reply import EmailReplyParser

    try:
        latest = EmailReplyParser(languages=["en", "de", "fr", "es", "nl", "it"]).parse_reply(text)
    except Exception:
        latest = None
    latest = (latest or "").strip()
    if not latest:  # nothing but quoted text: keep the whole message rather than nothing
        latest = text.strip()
    # Belt and braces for quote lines the library leaves behind.
    cut = _QUOTE_HEADER.search(latest)
    if cut and cut.start() > 0:
        latest = latest[: cut.start()].rstrip()
    lines = latest.splitlines()
    while lines and lines[-1].lstrip().startswith(">"):
        lines.pop()
    return "\n".join(lines).strip() or text.strip()


_FORWARD_MARKERS = re.compile(
    r"(-{5,}\s*Forwarded message\s*-{5,}|Begin forwarded message:|-{3,}\s*Original Message\s*-{3,})", re.I
)
_FROM_LINE = re.compile(r"^\s*\*?From:\*?\s*(.+)$", re.I | re.M)


def forwarded_sender(text: str) -> tuple[str, str] | None:
    """The original sender named in a forwarded message's quoted headers (Gmail, Apple Mail, Outlook)."""
    marker = _FORWARD_MARKERS.search(text or "")
    if marker is None:
        return None
    match = _FROM_LINE.search(text, marker.end())
    if match is None:
        return None
    value = match.group(1).strip().replace("[mailto:", "<").replace("]", ">")
    name, addr = parseaddr(value)
    addr = addr.strip().lower()
    return (name.strip() or addr.split("@")[0], addr) if "@" in addr else None


def as_email_message(raw: bytes) -> EmailMessage:
    return email.message_from_bytes(raw, policy=policy.default)  # type: ignore[return-value]
