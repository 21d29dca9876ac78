"""Throughput under a team's load (issue #20 §3): 8 signed-in people against the production-like web
server, a fixed mix for a bounded time, then an integrity audit (every reply stored exactly once).

    .venv/bin/python bench/load.py                       # the shipped server setup, 30 s
    .venv/bin/python bench/load.py --compare             # gthread (2 x 4 threads), then the shipped setup
    .venv/bin/python bench/load.py --url http://127.0.0.1:8000 --seconds 60   # an already running server
    .venv/bin/python bench/load.py --ab ../before --seconds 15 --rounds 3   # A/B against another checkout

The server is started as ``./scripts/run`` starts it (gunicorn, ``helpdesk.wsgi``, the same worker flags:
``scripts/run``'s ``GUNICORN_ARGS``), against the screens bench database
(``helpdesk_screens_bench``, seeded by ``bench/run.py`` if missing), DEBUG off, its own var/ directory,
the cache and broker on Redis when one answers (``BENCH_REDIS_URL``, default database 13; set it empty for
the embedded file cache).
Clients: 7 agents and 1 triage lead, each signing in through the login form, then looping over
queue T1 → My work → a ticket's workspace → a public reply with the version the page showed → a status
change with the new version (agents) or triage queue → a priority decision (lead). Reports requests/s,
median and p95 per request, errors, version conflicts (expected under contention, not errors) and the
audit. A reply whose answer was lost in transit may be stored without being confirmed: it is reported,
not counted as lost.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgres://postgres:postgres@127.0.0.1:5432/helpdesk_screens_bench"
# The production-like stack: the cache and broker on Redis (its own database number) when one answers;
# BENCH_REDIS_URL= (empty) runs on the embedded file cache and broker instead.
DEFAULT_REDIS = "redis://127.0.0.1:6379/13"
OLD_ARGS = "-w 2"  # before issue #20: two sync workers (still the best measured on 2 cores)
GTHREAD = "-k gthread -w 2 --threads 4"
VERSION = re.compile(r'name="version" value="(\d+)"')
STATUS = re.compile(r'<select name="status" id="id_status">.*?<option value="(\w+)" selected', re.S)
AGENTS = 7
PASSWORD = "bench"


def shipped_args() -> str:
    """The worker flags ``scripts/run`` passes to gunicorn (its ``GUNICORN_ARGS`` default)."""
    text = (ROOT / "scripts" / "run").read_text()
    found = re.search(r'GUNICORN_ARGS="\$\{GUNICORN_ARGS:-([^}]*)\}"', text)
    return found.group(1) if found else OLD_ARGS


@dataclass
class Audit:
    lost: list[str]
    duplicated: list[str]
    unconfirmed: list[str]

    @property
    def ok(self) -> bool:
        return not self.lost and not self.duplicated


def audit(confirmed: set[str], stored: dict[str, int]) -> Audit:
    """``confirmed``: the reply tokens the server answered with success; ``stored``: token → how many
    messages carry it. Every confirmed reply must be stored exactly once, and nothing twice."""
    return Audit(
        lost=sorted(t for t in confirmed if stored.get(t, 0) == 0),
        duplicated=sorted(t for t, n in stored.items() if n > 1),
        unconfirmed=sorted(t for t in stored if t not in confirmed),
    )


@dataclass
class Stats:
    times: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    conflicts: int = 0
    confirmed: set[str] = field(default_factory=set)
    run: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)
    server_cpu: float | None = None  # seconds of CPU the server's processes spent during the mix

    def add(self, response: Any) -> None:
        with self.lock:
            for r in [*response.history, response]:
                self.times.append(r.elapsed.total_seconds() * 1000)


class Person:
    def __init__(self, base: str, username: str, stats: Stats, run: str) -> None:
        import requests

        self.base, self.username, self.stats, self.run = base, username, stats, run
        self.http = requests.Session()
        self.seq = 0

    def get(self, path: str) -> Any:
        r = self.http.get(self.base + path, timeout=30)
        self.stats.add(r)
        if r.status_code != 200:
            self.stats.errors.append(f"GET {path}: {r.status_code}")
        return r

    def post(self, path: str, data: dict[str, Any]) -> Any:
        headers = {"X-CSRFToken": self.http.cookies.get("csrftoken") or "", "Referer": self.base + path}
        r = self.http.post(self.base + path, data=data, headers=headers, timeout=30)
        self.stats.add(r)
        return r

    def sign_in(self) -> None:
        self.get("/accounts/login/")
        r = self.post("/accounts/login/", {"username": self.username, "password": PASSWORD})
        if "/accounts/login/" in r.url:
            raise SystemExit(f"{self.username} could not sign in")

    def work(self, number: int) -> None:
        self.get("/queues/t1/")
        self.get("/")
        page = self.get(f"/tickets/{number}/")
        version = VERSION.search(page.text)
        if not version:
            self.stats.errors.append(f"no version on #{number}")
            return
        self.seq += 1
        token = f"load-{self.run}-{self.username}-{self.seq}"
        r = self.post(f"/tickets/{number}/reply/", {"body": token, "version": version.group(1)})
        if r.ok and r.url.rstrip("/").endswith(f"/tickets/{number}"):
            with self.stats.lock:
                self.stats.confirmed.add(token)
        elif r.status_code == 409:  # someone changed the ticket since the page was read
            self.stats.conflicts += 1
            return
        else:
            self.stats.errors.append(f"reply #{number}: {r.status_code}")
            return
        version, current = VERSION.search(r.text), STATUS.search(r.text)
        status = "open" if current and current.group(1) == "pending" else "pending"
        s = self.post(
            f"/tickets/{number}/status/", {"status": status, "version": version.group(1) if version else ""}
        )
        if not s.ok:
            self.stats.errors.append(f"status #{number}: {s.status_code}")

    def triage(self, number: int) -> None:
        self.get("/triage/")
        self.seq += 1
        r = self.post(f"/triage/{number}/priority/", {"priority": ["high", "normal"][self.seq % 2]})
        if r.status_code >= 400:
            self.stats.errors.append(f"triage #{number}: {r.status_code}")


def prepare(db_url: str) -> tuple[dict[str, list[int]], list[int]]:
    """Passwords for the load's people, and the tickets each works on (their own, none in triage)."""
    from bench.common import setup_django

    setup_django(db_url)
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, User

    from bench.seed_bench import seed
    from tickets.models import Ticket

    if not Ticket.objects.exists():
        seed(100_000)
    lead, _ = User.objects.get_or_create(username="bench_lead")
    lead.groups.add(Group.objects.get_or_create(name="Triage lead")[0])
    names = [f"bench_agent{i}" for i in range(1, AGENTS + 1)]
    User.objects.filter(username__in=[*names, "bench_lead"]).update(password=make_password(PASSWORD))
    owned = {}
    for name in names:
        owned[name] = list(
            Ticket.objects.filter(assignee__username=name, status__in=["open", "pending"])
            .exclude(tier="triage")
            .order_by("id")
            .values_list("number", flat=True)[:20]
        )
    triage = list(Ticket.objects.filter(tier="triage", status="open").values_list("number", flat=True)[:20])
    return owned, triage


def stored_tokens(db_url: str, run: str) -> dict[str, int]:
    import psycopg

    with psycopg.connect(db_url) as conn:
        rows = conn.execute(
            "SELECT body, count(*) FROM tickets_message WHERE body LIKE %s GROUP BY body", [f"load-{run}-%"]
        ).fetchall()
    return dict(rows)


def _reachable(url: str) -> bool:
    from urllib.parse import urlsplit

    from bench.common import _reachable as answers

    parts = urlsplit(url)
    return answers(parts.hostname or "127.0.0.1", parts.port or 6379)


def start_server(db_url: str, args: str, port: int, root: Path = ROOT) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": db_url,
        "DEBUG": "0",
        "HELPDESK_VAR_DIR": tempfile.mkdtemp(prefix="helpdesk-load-"),
        "CACHE_KEY_PREFIX": f"bench:load:{root.name}",  # an A/B's two servers never share entries
    }
    env.pop("REDIS_URL", None)
    redis = os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS)
    if redis and _reachable(redis):  # as in production: the cache (and broker) on Redis
        env["REDIS_URL"] = redis
    cmd = [str(root / ".venv/bin/gunicorn"), "helpdesk.wsgi", "-b", f"127.0.0.1:{port}", *shlex.split(args)]
    cmd += ["--no-control-socket", "--log-level", "warning"]
    proc = subprocess.Popen(cmd, cwd=root, env=env)
    import requests

    for _ in range(100):
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=1).ok:
                return proc
        except requests.RequestException:
            pass
        time.sleep(0.2)
    proc.terminate()
    raise SystemExit("the server did not start")


def cpu_seconds(pid: int) -> float | None:
    """CPU (user + system) a server process and its live children (the workers) have used; None where
    /proc is missing. Under a noisy machine this, per request, is steadier than requests per second."""
    try:
        pids = [pid, *(int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
        ticks = 0
        for one in pids:
            fields = Path(f"/proc/{one}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
    except (OSError, ValueError, IndexError):
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


def run_load(
    base: str,
    owned: dict[str, list[int]],
    triage: list[int],
    seconds: float,
    server: subprocess.Popen | None = None,
) -> tuple[Stats, float]:
    run = uuid.uuid4().hex[:8]
    stats = Stats(run=run)
    people = [Person(base, name, stats, run) for name in owned] + [Person(base, "bench_lead", stats, run)]
    for person in people:
        person.sign_in()
    stats.times.clear()  # sign-in is measured by bench/signin_bench.py; the mix starts now
    cpu_before = cpu_seconds(server.pid) if server else None
    stop = time.monotonic() + seconds

    def loop(person: Person) -> None:
        numbers = owned.get(person.username) or triage
        i = 0
        while time.monotonic() < stop and numbers:
            number = numbers[i % len(numbers)]
            (person.work if person.username in owned else person.triage)(number)
            i += 1

    started = time.monotonic()
    threads = [threading.Thread(target=loop, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    cpu_after = cpu_seconds(server.pid) if server else None
    if cpu_before is not None and cpu_after is not None:
        stats.server_cpu = cpu_after - cpu_before
    return stats, elapsed


def cpu_per_request(stats: Stats) -> float:
    return (stats.server_cpu or 0.0) * 1000 / max(len(stats.times), 1)


def report(label: str, stats: Stats, elapsed: float, result: Audit) -> None:
    times = sorted(stats.times)
    p95 = times[max(0, round(0.95 * len(times)) - 1)] if times else 0.0
    print(
        f"{label:<34} {len(times) / elapsed:7.1f} req/s  median {statistics.median(times or [0]):6.1f} ms  "
        f"p95 {p95:6.1f} ms  errors {len(stats.errors)}  conflicts {stats.conflicts}  "
        f"replies {len(stats.confirmed)}  audit {'ok' if result.ok else 'FAILED'}"
        f" (lost {len(result.lost)}, twice {len(result.duplicated)}, unconfirmed {len(result.unconfirmed)})"
        + (f"  server CPU {cpu_per_request(stats):.1f} ms/req" if stats.server_cpu is not None else "")
    )
    for error in stats.errors[:5]:
        print("   ", error)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--url", help="target a running server instead of starting one")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--server-args", help="gunicorn worker flags (default: scripts/run's)")
    parser.add_argument(
        "--ab",
        metavar="CHECKOUT",
        help="A/B: a second checkout (e.g. a git worktree of another commit, or a peer's) served beside "
        "this one, the runs interleaved A B / B A for --rounds, paired ratios B/A",
    )
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--compare",
        action="store_true",
        help="also run gthread (2 workers x 4 threads) first, for comparison",
    )
    args = parser.parse_args()
    owned, triage = prepare(args.database_url)
    if args.ab:
        sys.exit(0 if ab(args, owned, triage) else 1)
    setups = [("given server", "")] if args.url else []
    if not args.url:
        if args.compare:
            setups.append((f"gunicorn {GTHREAD}", GTHREAD))
        server_args = args.server_args or shipped_args()
        setups.append((f"gunicorn {server_args}", server_args))
    print(
        f"{len(owned)} agents + 1 triage lead, {args.seconds:.0f} s each; "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    failed = False
    for label, server_args in setups:
        proc = None if args.url else start_server(args.database_url, server_args, args.port)
        try:
            base = args.url or f"http://127.0.0.1:{args.port}"
            stats, elapsed = run_load(base.rstrip("/"), owned, triage, args.seconds, proc)
        finally:
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
        result = audit(stats.confirmed, stored_tokens(args.database_url, stats.run))
        report(label, stats, elapsed, result)
        failed = failed or not result.ok
    sys.exit(1 if failed else 0)


def ab(args: Any, owned: dict[str, list[int]], triage: list[int]) -> bool:
    """Both servers up at once; each round loads A then B (B then A on odd rounds), so a drift of the
    machine hits both; prints each run and the paired ratios B/A (req/s, p95)."""
    server_args = args.server_args or shipped_args()
    sides = {"A": (ROOT, args.port), "B": (Path(args.ab).resolve(), args.port + 1)}
    procs = {
        side: start_server(args.database_url, server_args, port, root) for side, (root, port) in sides.items()
    }
    ok, pairs = True, []
    try:
        for round_ in range(args.rounds):
            got: dict[str, tuple[float, float, float]] = {}
            for side in ("A", "B") if round_ % 2 == 0 else ("B", "A"):
                root, port = sides[side]
                stats, elapsed = run_load(
                    f"http://127.0.0.1:{port}", owned, triage, args.seconds, procs[side]
                )
                result = audit(stats.confirmed, stored_tokens(args.database_url, stats.run))
                report(f"round {round_ + 1} {side} {root.name}", stats, elapsed, result)
                times = sorted(stats.times)
                got[side] = (
                    len(times) / elapsed,
                    times[max(0, round(0.95 * len(times)) - 1)] if times else 0.0,
                    cpu_per_request(stats),
                )
                ok = ok and result.ok
            a, b = got["A"], got["B"]
            pairs.append((b[0] / a[0], b[1] / max(a[1], 0.001), b[2] / max(a[2], 0.001)))
    finally:
        for proc in procs.values():
            proc.terminate()
            proc.wait(timeout=30)
    rates, p95s, cpus = ([p[i] for p in pairs] for i in range(3))
    print(
        f"paired B/A: req/s {', '.join(f'{r:.2f}' for r in rates)} (median {statistics.median(rates):.2f}); "
        f"p95 {', '.join(f'{r:.2f}' for r in p95s)} (median {statistics.median(p95s):.2f}); "
        f"server CPU/request {', '.join(f'{r:.2f}' for r in cpus)} (median {statistics.median(cpus):.2f})"
    )
    return ok


if __name__ == "__main__":
    main()
