"""``manage.py smtp_receiver``: receive mail over SMTP (or LMTP) and store it for processing."""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from mail.smtp import start


class Command(BaseCommand):
    help = "Run the SMTP/LMTP receiver: each message is stored (then 250) and processed by the worker."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("SMTP_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("SMTP_PORT", "2525")))
        parser.add_argument("--lmtp", action="store_true", help="Speak LMTP (for Postfix/Exim delivery).")

    def handle(self, *args: Any, **options: Any) -> None:
        controller = start(options["host"], options["port"], lmtp=options["lmtp"])
        stop = threading.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            signal.signal(sig, lambda *_: stop.set())
        kind = "LMTP" if options["lmtp"] else "SMTP"
        self.stdout.write(f"{kind} receiver on {options['host']}:{options['port']}")
        stop.wait()
        controller.stop()
