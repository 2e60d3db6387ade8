"""Reminders: one timer for the next due time, each follow-up announced once.

Time is the injected FixedClock, moved by hand: what is due, and when, never
depends on how fast the machine runs. Timers still run for real, but briefly:
due times are a few hundred milliseconds ahead, and a test waits (with a
generous timeout) only for the timer to fire after the clock was moved.
"""

from __future__ import annotations

import datetime as dt

from leaddesk.core.clock import FixedClock
from leaddesk.operations.follow_ups import add_follow_up, complete_follow_up, snooze_follow_up
from leaddesk.ui.agenda.reminders import (
    IniWatermarkStore,
    MemoryWatermarkStore,
    ReminderScheduler,
    timer_interval_ms,
)
from tests.conftest import TEST_NOW
from tests.ui.conftest import CollectingRunner

START = TEST_NOW  # the ``clock`` fixture's instant, which ``runner`` and ``make_lead`` use


def _ms(milliseconds: int) -> dt.timedelta:
    return dt.timedelta(milliseconds=milliseconds)


def _scheduler(runner, store=None, **kwargs) -> ReminderScheduler:
    return ReminderScheduler(runner, store or MemoryWatermarkStore(START), **kwargs)


def _collect(scheduler: ReminderScheduler) -> list[list[int]]:
    announced: list[list[int]] = []
    scheduler.due.connect(announced.append)
    return announced


def test_the_timer_is_armed_for_the_next_due_time_from_the_injected_clock(ctx, make_lead, qapp):
    lead = make_lead("Ana")
    ctx.clock = FixedClock(START)
    add_follow_up(ctx, lead, START + dt.timedelta(minutes=90))
    add_follow_up(ctx, lead, START + dt.timedelta(seconds=90))
    runner = CollectingRunner(ctx)
    scheduler = _scheduler(runner)
    scheduler.start()
    assert scheduler.timer.isSingleShot()
    assert scheduler.timer.isActive()
    assert scheduler.next_due == START + dt.timedelta(seconds=90)
    assert 89_000 < scheduler.timer.remainingTime() <= 90_000
    # No polling: the only other timer is the once-a-minute watchdog.
    assert scheduler.watchdog.interval() == 60_000
    scheduler.stop()


def test_a_follow_up_is_announced_once_when_it_comes_due(qtbot, runner, clock, make_lead):
    lead = make_lead("Ana")
    follow_up = add_follow_up(runner.ctx, lead, START + _ms(300)).value
    scheduler = _scheduler(runner)
    announced = _collect(scheduler)
    scheduler.start()
    assert announced == []
    assert scheduler.next_due == START + _ms(300)
    clock.advance(_ms(300))
    qtbot.waitUntil(lambda: announced == [[follow_up]], timeout=3000)
    assert scheduler.entries[follow_up].name == "Ana"
    assert not scheduler.timer.isActive()  # nothing else is planned
    clock.advance(dt.timedelta(minutes=1))
    assert scheduler.check() == []
    assert announced == [[follow_up]]  # once, not again
    scheduler.stop()


def test_a_follow_up_done_before_its_time_is_not_announced(qtbot, runner, clock, make_lead):
    lead = make_lead("Ana")
    first = add_follow_up(runner.ctx, lead, START + _ms(250)).value
    second = add_follow_up(runner.ctx, lead, START + _ms(500)).value
    scheduler = _scheduler(runner)
    announced = _collect(scheduler)
    scheduler.start()
    runner.run(complete_follow_up, second)
    clock.advance(_ms(250))
    qtbot.waitUntil(lambda: announced == [[first]], timeout=3000)
    assert not scheduler.timer.isActive()  # the done one is not waited for
    clock.advance(_ms(500))
    assert scheduler.check() == []
    assert announced == [[first]]
    scheduler.stop()


def test_a_snoozed_follow_up_waits_for_its_new_time_then_is_announced_again(
    qtbot, runner, clock, make_lead
):
    lead = make_lead("Ana")
    follow_up = add_follow_up(runner.ctx, lead, START + _ms(200)).value
    scheduler = _scheduler(runner)
    announced = _collect(scheduler)
    scheduler.start()
    clock.advance(_ms(200))
    qtbot.waitUntil(lambda: announced == [[follow_up]], timeout=3000)
    until = clock.now() + _ms(600)
    runner.run(snooze_follow_up, follow_up, until)
    assert scheduler.next_due == until
    clock.advance(_ms(300))
    assert scheduler.check() == []
    assert announced == [[follow_up]]  # not while snoozed
    clock.advance(_ms(300))
    qtbot.waitUntil(lambda: announced == [[follow_up], [follow_up]], timeout=3000)
    scheduler.stop()


def test_follow_ups_that_came_due_while_closed_are_announced_at_start(
    qtbot, ctx, make_lead, data_dir
):
    lead = make_lead("Ana")
    ctx.clock = FixedClock(START)
    store = IniWatermarkStore(data_dir)
    store.save(START - dt.timedelta(hours=1))  # LeadDesk last looked an hour ago
    old = add_follow_up(ctx, lead, START - dt.timedelta(hours=3)).value
    missed = add_follow_up(ctx, lead, START - dt.timedelta(minutes=20), "Call back").value
    future = add_follow_up(ctx, lead, START + dt.timedelta(hours=2)).value
    scheduler = _scheduler(CollectingRunner(ctx), IniWatermarkStore(data_dir))
    with qtbot.waitSignal(scheduler.due, timeout=1000) as signal:
        scheduler.start()
    assert signal.args == [[missed]]  # the older one was announced in an earlier session
    assert scheduler.next_due == START + dt.timedelta(hours=2)
    # The watermark is saved: the next start does not announce it again.
    assert IniWatermarkStore(data_dir).load() == START
    again = _scheduler(CollectingRunner(ctx), IniWatermarkStore(data_dir))
    announced = _collect(again)
    again.start()
    assert announced == []
    scheduler.stop()
    again.stop()
    assert old != future


def test_the_first_start_ever_announces_nothing_already_overdue(ctx, make_lead, qapp):
    lead = make_lead("Ana")
    add_follow_up(ctx, lead, ctx.clock.now() - dt.timedelta(minutes=5))
    store = MemoryWatermarkStore(None)
    scheduler = _scheduler(CollectingRunner(ctx), store)
    announced = _collect(scheduler)
    scheduler.start()
    assert announced == []
    assert store.moment == ctx.clock.now()
    scheduler.stop()


def test_a_clock_jump_or_sleep_is_caught_by_the_watchdog(qtbot, ctx, make_lead):
    """The machine slept an hour: the wall clock moved, the monotonic clock did not."""
    lead = make_lead("Ana")
    clock = FixedClock(START)
    ctx.clock = clock
    follow_up = add_follow_up(ctx, lead, START + dt.timedelta(minutes=30)).value
    monotonic = [1000.0]
    scheduler = _scheduler(CollectingRunner(ctx), monotonic=lambda: monotonic[0], watchdog_ms=20)
    announced = _collect(scheduler)
    scheduler.start()
    assert scheduler.timer.remainingTime() > 29 * 60 * 1000
    clock.advance(dt.timedelta(hours=1))
    qtbot.waitUntil(lambda: announced == [[follow_up]], timeout=2000)
    scheduler.stop()


def test_the_watchdog_does_nothing_while_both_clocks_agree(qtbot, ctx, make_lead):
    lead = make_lead("Ana")
    clock = FixedClock(START)
    ctx.clock = clock
    add_follow_up(ctx, lead, START + dt.timedelta(minutes=30))
    scheduler = _scheduler(CollectingRunner(ctx), monotonic=lambda: 1000.0, watchdog_ms=20)
    checks: list[object] = []
    rounds: list[object] = []
    scheduler.watchdog.timeout.connect(lambda: rounds.append(1))
    scheduler.start()
    scheduler.check = lambda: checks.append(1)  # type: ignore[method-assign]
    # Neither clock moves: however many rounds the watchdog makes, it finds no jump.
    qtbot.waitUntil(lambda: len(rounds) >= 3, timeout=3000)
    assert checks == []
    scheduler.stop()


def test_timer_interval_rounds_up_and_stays_in_range():
    assert timer_interval_ms(START, START + dt.timedelta(microseconds=1500)) == 2
    assert timer_interval_ms(START, START - dt.timedelta(hours=1)) == 0
    assert timer_interval_ms(START, START + dt.timedelta(days=40)) == 24 * 60 * 60 * 1000
