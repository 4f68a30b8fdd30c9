"""sources.timers: one thread running scheduled callbacks (the fetch watchdog, the lease
heartbeat), in time order, again when they ask, never after they are cancelled."""

import threading
import time

from sources.timers import Timers


def soon(seconds=0.0):
    return time.monotonic() + seconds


def wait_for(condition, seconds=5):
    for _ in range(int(seconds / 0.01)):
        if condition():
            return True
        time.sleep(0.01)
    return False


def test_callbacks_run_in_the_order_of_their_times_on_one_thread():
    timers, ran = Timers("test-order"), []
    done = threading.Event()
    for name, delay in (("c", 0.15), ("a", 0.05), ("b", 0.1)):
        timers.add(soon(delay), lambda name=name: ran.append((name, threading.current_thread())))
    timers.add(soon(0.2), done.set)
    assert done.wait(5)
    assert [name for name, _ in ran] == ["a", "b", "c"]
    assert {thread for _, thread in ran} == {timers.thread()}


def test_a_callback_runs_again_at_the_time_it_returns_until_it_returns_none():
    timers, count = Timers("test-again"), []

    def tick():
        count.append(1)
        return soon(0.01) if len(count) < 3 else None

    timers.add(soon(), tick)
    assert wait_for(lambda: len(count) == 3)
    time.sleep(0.1)
    assert len(count) == 3 and timers.pending() == 0


def test_a_cancelled_callback_never_runs_and_a_failing_one_stops_nothing_else():
    timers, ran = Timers("test-cancel"), []
    entry = timers.add(soon(0.05), lambda: ran.append("cancelled"))
    timers.add(soon(0.01), lambda: 1 / 0)  # logged; the thread goes on
    timers.add(soon(0.1), lambda: ran.append("kept"))
    timers.cancel(entry)
    assert wait_for(lambda: ran == ["kept"])
    time.sleep(0.05)
    assert ran == ["kept"]


def test_cancelled_entries_do_not_pile_up_in_the_heap():
    timers = Timers("test-heap")
    entries = [timers.add(soon(60), lambda: None) for _ in range(1000)]
    for entry in entries:
        timers.cancel(entry)
    assert timers.pending() == 0
    assert len(timers._heap) < 100  # rebuilt, not 1,000 entries waiting a minute


def test_on_idle_runs_once_the_last_live_entry_is_cancelled_after_callbacks_ran():
    idle, ran = threading.Event(), threading.Event()
    timers = Timers("test-idle", on_idle=idle.set)

    def renew():
        ran.set()
        return soon(60)  # due again in a minute

    first = timers.add(soon(), renew)
    assert ran.wait(5) and wait_for(lambda: timers.pending() == 1)
    time.sleep(0.05)
    assert not idle.is_set()
    timers.cancel(first)
    assert idle.wait(5)
