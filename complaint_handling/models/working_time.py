"""Working time on a ``resource.calendar``: plan hours and count hours without a query per complaint.

``resource.calendar.plan_hours`` searches the leaves at every call. Deadlines and escalations are
computed for thousands of complaints at once, so :class:`WorkingTime` loads the work intervals of
a calendar (attendances minus its global leaves, i.e. the company's public holidays) once per
window and answers from memory.
"""

import bisect
from datetime import timedelta

from pytz import utc

WINDOW = timedelta(days=120)
MARGIN = timedelta(days=30)
STEP = timedelta(days=1)  # what a plan asks first; more is loaded a window at a time


class WorkingTime:
    """Work intervals of one calendar (``None``: round-the-clock, wall-clock hours)."""

    def __init__(self, calendar):
        self.calendar = calendar
        self.starts = []  # interval starts, UTC naive, sorted
        self.stops = []
        self.low = None  # loaded window [low, high)
        self.high = None

    # ------------------------------------------------------------------ loading

    def _load(self, low, high):
        intervals = self.calendar._work_intervals_batch(
            low.replace(tzinfo=utc), high.replace(tzinfo=utc), compute_leaves=True
        )[False]
        return [
            (start.astimezone(utc).replace(tzinfo=None), stop.astimezone(utc).replace(tzinfo=None))
            for start, stop, _meta in intervals
            if stop > start
        ]

    def _ensure(self, low, high):
        """Load the intervals between ``low`` and ``high`` (naive UTC) if not loaded yet."""
        if self.low is None:
            # A margin on both sides: escalation plans a little before and after the same deadlines.
            self.low, self.high = low - MARGIN, max(high, low + WINDOW) + MARGIN
            loaded = self._load(self.low, self.high)
        else:
            loaded = []
            if low < self.low:
                low = min(low, self.low - WINDOW)
                loaded += self._load(low, self.low)
                self.low = low
            if high > self.high:
                high = max(high, self.high + WINDOW)
                loaded += self._load(self.high, high)
                self.high = high
            if not loaded:
                return
            loaded += list(zip(self.starts, self.stops, strict=True))
        merged = []
        for start, stop in sorted(loaded):
            if merged and start <= merged[-1][1]:
                merged[-1] = (merged[-1][0], max(stop, merged[-1][1]))
            else:
                merged.append((start, stop))
        self.starts = [start for start, _stop in merged]
        self.stops = [stop for _start, stop in merged]

    # ------------------------------------------------------------------ queries

    def plan(self, dt, hours):
        """The moment ``hours`` working hours after ``dt`` (before it when negative); naive UTC."""
        if not dt:
            return False
        if not self.calendar:
            return dt + timedelta(hours=hours)
        if not hours:
            return dt
        remaining = abs(hours) * 3600.0
        for _attempt in range(30):  # 30 windows of 120 days: 10 years without work is a broken calendar
            if hours > 0:
                self._ensure(dt, dt + STEP)
                index = bisect.bisect_right(self.stops, dt)
                while index < len(self.starts):
                    start = max(self.starts[index], dt)
                    available = (self.stops[index] - start).total_seconds()
                    if remaining <= available:
                        return start + timedelta(seconds=remaining)
                    remaining -= available
                    dt = self.stops[index]
                    index += 1
                dt = max(dt, self.high)
            else:
                self._ensure(dt - STEP, dt)
                index = bisect.bisect_left(self.starts, dt) - 1
                while index >= 0:
                    stop = min(self.stops[index], dt)
                    available = (stop - self.starts[index]).total_seconds()
                    if remaining <= available:
                        return stop - timedelta(seconds=remaining)
                    remaining -= available
                    dt = self.starts[index]
                    index -= 1
                dt = min(dt, self.low)
        return False

    def hours_between(self, start, stop):
        """Working hours between ``start`` and ``stop`` (naive UTC)."""
        if not (start and stop) or stop <= start:
            return 0.0
        if not self.calendar:
            return (stop - start).total_seconds() / 3600.0
        self._ensure(start, stop)
        total = 0.0
        index = bisect.bisect_right(self.stops, start)
        while index < len(self.starts) and self.starts[index] < stop:
            total += (min(self.stops[index], stop) - max(self.starts[index], start)).total_seconds()
            index += 1
        return total / 3600.0


class WorkingTimes(dict):
    """One :class:`WorkingTime` per calendar, created on first use."""

    def __missing__(self, calendar):
        self[calendar] = WorkingTime(calendar)
        return self[calendar]
