"""The embedded default outbound: each email is one ``.eml`` file under ``EMAIL_FILE_PATH`` (var/mail/),
readable by any mail client, and nothing is printed on the worker's console."""

from __future__ import annotations

import os
import re
import time
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.message import EmailMessage


class EmlFileBackend(BaseEmailBackend):
    def __init__(self, *args: Any, file_path: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.directory = Path(file_path or settings.EMAIL_FILE_PATH)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.directory.mkdir(parents=True, exist_ok=True)
        sent = 0
        for message in email_messages:
            data = message.message().as_bytes(linesep="\r\n")
            stamp = time.strftime("%Y%m%d-%H%M%S")
            to = re.sub(r"[^a-z0-9@._-]+", "_", (message.to or ["unknown"])[0].lower())[:60]
            path = self.directory / f"{stamp}-{uuid.uuid4().hex[:8]}-{to}.eml"
            tmp = path.with_suffix(".tmp")
            tmp.write_bytes(data)
            os.replace(tmp, path)  # a reader never sees half a file
            sent += 1
        return sent
