"""A real Dovecot IMAP server for tests, from a throwaway directory on a random free port
(TOOLCHAIN §9). ``./scripts/test`` installs ``dovecot-imapd`` when it is missing."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

CONF = """protocols = imap
listen = 127.0.0.1
base_dir = {d}/run
state_dir = {d}/run/state
log_path = {d}/log/dovecot.log
ssl = no
first_valid_uid = 1
first_valid_gid = 1
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{d}/mail/%u
default_internal_user = dovecot
default_login_user = dovenull
default_internal_group = dovecot
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {d}/users
}}
userdb {{
  driver = static
  args = uid=dovecot gid=dovecot home={d}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Dovecot:
    def __init__(self, users: dict[str, str]) -> None:
        self.binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
        self.dir = Path(tempfile.mkdtemp(prefix="hd-dovecot-"))
        os.chmod(self.dir, 0o755)
        for sub in ("run", "log", "mail"):
            (self.dir / sub).mkdir()
        self.port = free_port()
        (self.dir / "users").write_text("".join(f"{u}:{{PLAIN}}{p}\n" for u, p in users.items()))
        (self.dir / "dovecot.conf").write_text(CONF.format(d=self.dir, port=self.port))
        subprocess.run(["chown", "-R", "dovecot:dovecot", str(self.dir / "mail")], check=False)

    def start(self) -> None:
        subprocess.run([self.binary, "-c", str(self.dir / "dovecot.conf")], check=True, timeout=30)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("dovecot did not start: " + self.log())

    def stop(self) -> None:
        pid_file = self.dir / "run" / "master.pid"
        if pid_file.exists():
            pid = int(pid_file.read_text().strip())
            os.kill(pid, 15)
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:
                try:
                    os.kill(pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.1)

    def log(self) -> str:
        path = self.dir / "log" / "dovecot.log"
        return path.read_text()[-2000:] if path.exists() else ""

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.dir, ignore_errors=True)
