"""The one cache (lineage.cache.Kept): bounded, least recently used first out, and never computing while it holds
its lock, so a slow computation holds up only the callers waiting for that same value."""

from __future__ import annotations

import threading

import pytest

from lineage.cache import Kept


def test_the_least_recently_used_value_goes_first() -> None:
    kept: Kept[str, int] = Kept(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == 1  # "a" used: "b" is now the least recently used
    kept.put("c", 3)
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (1, None, 3)


def test_values_bounded_by_their_size_together_go_least_recently_used_first() -> None:
    """Hostile input, round five: the server's answers were bounded by count alone (512 of nearly 1 MB each), so
    any client could grow a worker by half a gigabyte in half a minute; they are bounded by their bytes together,
    as the app keeps them (lineage.api.app.ANSWERS_KEPT_BYTES)."""
    from lineage.api import app

    kept: Kept[str, bytes] = Kept(10, sizeof=len)
    kept.put("a", b"aaaa")
    kept.put("b", b"bbbb")
    kept.put("c", b"cccc")  # 12 bytes would be over 10: "a" goes
    assert (kept.get("a"), kept.get("b"), kept.get("c")) == (None, b"bbbb", b"cccc")
    assert app.ANSWER_BYTES * 16 <= app.ANSWERS_KEPT_BYTES <= 128 * 1024 * 1024


def test_other_keys_are_answered_while_one_is_computed_and_its_waiters_share_it() -> None:
    kept: Kept[str, str] = Kept(4)
    started, release = threading.Event(), threading.Event()
    computed: list[str] = []
    answers: list[str] = []

    def slow() -> str:
        computed.append("slow")
        started.set()
        assert release.wait(10)
        return "slow value"

    first = threading.Thread(target=lambda: answers.append(kept.get_or_compute("slow", slow)))
    first.start()
    assert started.wait(10)
    other = threading.Thread(target=lambda: answers.append(kept.get_or_compute("other", lambda: "other value")))
    other.start()
    other.join(10)
    assert not other.is_alive()  # computing "slow" holds no lock that "other" needs
    waiter = threading.Thread(target=lambda: answers.append(kept.get_or_compute("slow", lambda: "computed again")))
    waiter.start()
    release.set()
    first.join(10)
    waiter.join(10)
    assert sorted(answers) == ["other value", "slow value", "slow value"]
    assert computed == ["slow"]


def test_a_failed_computation_keeps_nothing_and_the_next_caller_computes() -> None:
    kept: Kept[str, int] = Kept(2)

    def failing() -> int:
        raise ValueError("no")

    with pytest.raises(ValueError, match="no"):
        kept.get_or_compute("k", failing)
    assert kept.get("k") is None
    assert kept.get_or_compute("k", lambda: 7) == 7
