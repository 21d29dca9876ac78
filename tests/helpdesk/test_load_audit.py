"""Issue #20 §3: the load benchmark's integrity audit can be trusted — it fails when a reply is lost."""

from bench.load import audit, shipped_args


def test_every_confirmed_reply_stored_once_passes():
    result = audit({"load-a-1", "load-a-2"}, {"load-a-1": 1, "load-a-2": 1})
    assert result.ok and not result.lost and not result.duplicated


def test_a_lost_reply_fails_the_audit():
    result = audit({"load-a-1", "load-a-2"}, {"load-a-1": 1})
    assert not result.ok and result.lost == ["load-a-2"]


def test_a_reply_stored_twice_fails_the_audit():
    result = audit({"load-a-1"}, {"load-a-1": 2})
    assert not result.ok and result.duplicated == ["load-a-1"]


def test_a_stored_but_unconfirmed_reply_is_reported_not_failed():
    result = audit(set(), {"load-a-9": 1})  # the answer was lost in transit, the reply was stored
    assert result.ok and result.unconfirmed == ["load-a-9"]


def test_the_load_runs_the_server_flags_scripts_run_uses():
    assert shipped_args() == "-w 2"


def test_the_servers_cpu_is_read_from_proc_and_none_without_it():
    import os

    from bench.load import cpu_seconds

    used = cpu_seconds(os.getpid())
    assert used is not None and used > 0
    assert cpu_seconds(2**22 + 12345) is None  # no such process
