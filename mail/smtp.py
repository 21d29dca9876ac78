"""The SMTP/LMTP receiver (aiosmtpd): it answers 250 only once the raw message is committed, and refuses
with a clear 5xx what it will never accept (too large, a recipient domain we do not serve)."""

from __future__ import annotations

import asyncio
import logging
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP, Envelope, Session
from django.conf import settings
from django.db import close_old_connections, connections

log = logging.getLogger(__name__)


class StoreHandler:
    def __init__(self, max_bytes: int | None = None) -> None:
        self.max_bytes = max_bytes or settings.HELPDESK_MAIL_MAX_BYTES
        self._domains: set[str] = set()
        self._domains_at = 0.0
        # One thread does the database work (one connection; stores are a single INSERT each).
        self.executor = ThreadPoolExecutor(1, thread_name_prefix="smtp-store")

    def close(self) -> None:
        self.executor.submit(connections.close_all).result()
        self.executor.shutdown()

    def _accepted_domains(self) -> set[str]:
        from .services.people import our_domains

        close_old_connections()
        return our_domains()

    async def handle_RCPT(  # noqa: N802 - aiosmtpd's hook name
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if time.monotonic() - self._domains_at > 30:
            loop = asyncio.get_running_loop()
            self._domains = await loop.run_in_executor(self.executor, self._accepted_domains)
            self._domains_at = time.monotonic()
        if address.rpartition("@")[2].lower() not in self._domains:
            return "550 5.1.2 This server does not accept mail for that domain"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        raw = envelope.original_content or b""
        if len(raw) > self.max_bytes:
            return f"552 5.3.4 Message too big (the limit is {self.max_bytes} bytes)"
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(
                self.executor, _store, raw, envelope.mail_from or "", list(envelope.rcpt_tos)
            )
        except Exception:
            log.exception("could not store an inbound message")
            return "451 4.3.0 Could not store the message; please try again later"
        return "250 2.0.0 Message stored"


def _store(raw: bytes, mail_from: str, rcpt_tos: list[str]) -> None:
    from .services import store

    close_old_connections()
    store(raw, channel="smtp", envelope_from=mail_from, envelope_to=rcpt_tos)


class _Controller(Controller):
    def stop(self, *args: Any, **kwargs: Any) -> None:
        super().stop(*args, **kwargs)
        self.handler.close()


class _LMTPController(_Controller):
    def factory(self) -> Any:
        return LMTP(self.handler, **self.SMTP_kwargs)


def start(
    host: str = "127.0.0.1", port: int = 2525, *, lmtp: bool = False, max_bytes: int | None = None
) -> Controller:
    handler = StoreHandler(max_bytes)
    cls = _LMTPController if lmtp else _Controller
    controller = cls(
        handler,
        hostname=host,
        port=port,
        data_size_limit=handler.max_bytes + 1024,
        decode_data=False,
        ident="Helpdesk",
    )
    controller.start()
    return controller
