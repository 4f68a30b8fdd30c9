"""One background thread that calls each scheduled callback when its time comes.

    timers = Timers("fetch-watchdog")
    entry = timers.add(time.monotonic() + 30, callback)   # callback() -> next time or None
    timers.cancel(entry)

The fetch deadlines (sources/watchdog.py) and the lease heartbeats (sources/lease.py) each
have one per process, instead of a thread started and joined per fetch or per capture
(about 0.2 ms of CPU each time, a fiftieth of a capture). The entries wait in a heap
ordered by time; a condition variable wakes the thread when an earlier one arrives.
A cancelled entry stays in the heap until it comes up (most are cancelled long before
they are due), and the heap is rebuilt when such entries are most of it.
"""

import heapq
import itertools
import logging
import os
import threading
import time

logger = logging.getLogger(__name__)


class _Entry:
    __slots__ = ("when", "order", "callback", "cancelled", "queued")

    def __init__(self, when, callback):
        self.when, self.callback = when, callback
        self.order = 0
        self.cancelled = False
        self.queued = False  # in the heap (not yet due, or due and not yet taken)

    def __lt__(self, other):
        return (self.when, self.order) < (other.when, other.order)


class Timers:
    """A heap of callbacks and the one daemon thread that runs them when due.

    A callback runs on that thread, one at a time, and returns the monotonic time at
    which to run it again, or None. on_idle runs there when the heap has emptied after
    callbacks ran (the lease heartbeat closes its database connection then).
    """

    def __init__(self, name, *, on_idle=None):
        self.name = name
        self._on_idle = on_idle
        self._reset()
        # A forked child has the parent's heap but not its thread: start afresh.
        os.register_at_fork(after_in_child=self._reset)

    def _reset(self):
        self._cond = threading.Condition(threading.Lock())
        self._heap = []
        self._cancelled = 0  # cancelled entries still in the heap
        self._order = itertools.count()
        self._thread = None

    def add(self, when, callback):
        entry = _Entry(when, callback)
        with self._cond:
            self._push(entry)
        return entry

    def cancel(self, entry):
        """The callback will not run again (one running now finishes)."""
        with self._cond:
            if entry.cancelled:
                return
            entry.cancelled = True
            if not entry.queued:
                return
            self._cancelled += 1
            if self._cancelled == len(self._heap) and self._on_idle is not None:
                self._cond.notify()  # nothing left to wait for: let on_idle run now
            elif self._cancelled > 64 and self._cancelled * 2 > len(self._heap):
                self._heap = [e for e in self._heap if not e.cancelled]
                heapq.heapify(self._heap)
                self._cancelled = 0

    def thread(self):
        """The thread, once the first entry has started it (for tests and diagnostics)."""
        return self._thread

    def pending(self):
        """How many entries wait, cancelled ones not counted."""
        with self._cond:
            return len(self._heap) - self._cancelled

    def _push(self, entry):  # holding the condition
        entry.order = next(self._order)
        entry.queued = True
        heapq.heappush(self._heap, entry)
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=self.name, daemon=True)
            self._thread.start()
        elif self._heap[0] is entry:  # earlier than what the thread sleeps towards
            self._cond.notify()

    def _run(self):
        busy = False  # callbacks ran since the heap was last empty
        while True:
            with self._cond:
                entry = self._next(wait_when_empty=not busy or self._on_idle is None)
            if entry is None:
                busy = False
                self._call(self._on_idle)
                continue
            busy = True
            again = self._call(entry.callback)
            if again is not None:
                with self._cond:
                    if not entry.cancelled:
                        entry.when = again
                        self._push(entry)

    def _call(self, callback):
        try:
            return callback()
        except Exception:  # one bad callback must not stop every other deadline or lease
            logger.exception("%s: callback %r failed", self.name, callback)
            return None

    def _next(self, *, wait_when_empty):
        """The next due entry, taken off the heap, waiting (on the condition) until one
        is due; None when the heap is empty and wait_when_empty is false."""
        while True:
            while self._heap and self._heap[0].cancelled:
                heapq.heappop(self._heap).queued = False
                self._cancelled -= 1
            if not self._heap:
                if not wait_when_empty:
                    return None
                self._cond.wait()
                continue
            delay = self._heap[0].when - time.monotonic()
            if delay <= 0:
                entry = heapq.heappop(self._heap)
                entry.queued = False
                return entry
            self._cond.wait(delay)
