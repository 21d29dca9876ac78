"""Sign-in server time (issue #20 §4): POST /accounts/login/ through the full middleware stack.

    .venv/bin/python bench/signin_bench.py                 # 20 sign-ins
    .venv/bin/python bench/signin_bench.py --requests 50

Own database (default postgres://postgres:postgres@127.0.0.1:5432/helpdesk_signin_bench). One agent
whose password is stored as a PBKDF2 hash (as before Argon2 came first): the first sign-in verifies it
and re-hashes it with Argon2, every later one verifies Argon2. Prints median / p95 ms of each.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import setup_django  # noqa: E402

DEFAULT_URL = "postgres://postgres:postgres@127.0.0.1:5432/helpdesk_signin_bench"
PASSWORD = "bench-Sign-in-4821"


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    setup_django(args.database_url)

    from django.conf import settings
    from django.contrib.auth.hashers import identify_hasher, make_password
    from django.contrib.auth.models import Group, User
    from django.test import Client

    user, _ = User.objects.get_or_create(username="signin_bench")
    user.groups.add(Group.objects.get_or_create(name="Agent")[0])
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save()
    client = Client()

    def sign_in() -> float:
        client.logout()
        started = time.perf_counter()
        response = client.post("/accounts/login/", {"username": "signin_bench", "password": PASSWORD})
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 302, response.status_code
        return elapsed

    first = sign_in()
    user.refresh_from_db()
    algorithm = identify_hasher(user.password).algorithm
    times = sorted(sign_in() for _ in range(args.requests))
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    print(f"hashers: {', '.join(h.rsplit('.', 1)[1] for h in settings.PASSWORD_HASHERS[:2])} …")
    print(f"first sign-in (PBKDF2 verified, re-hashed as {algorithm}): {first:.1f} ms")
    print(f"sign-in with the {algorithm} hash: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
