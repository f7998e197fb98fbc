"""Reminders: each person's reminder settings, the reminders already sent, and calendar feeds."""

from __future__ import annotations

from piccolo.columns import BigInt, Boolean, Date, ForeignKey, OnDelete, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from cpl.accounts.tables import Account


class ReminderSettings(Table, tablename="reminder_settings"):
    """How and when one person wants to be reminded; no row: the defaults (:mod:`cpl.reminders.preferences`)."""

    owner = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, primary_key=True)
    #: Days before a due date a reminder goes, largest first, comma-separated (``90,30,7``).
    days_before = Varchar(length=64, default="90,30,7")
    email = Boolean(default=True)
    in_app = Boolean(default=True)
    #: An IANA time zone (``Europe/London``): quiet hours are in it.
    time_zone = Varchar(length=64, default="Europe/London")
    #: Quiet hours, local ``HH:MM``: nothing is sent from ``quiet_from`` until ``quiet_until``.
    quiet_from = Varchar(length=5, default="21:00")
    quiet_until = Varchar(length=5, default="08:00")
    updated_at = Timestamptz(default=TimestamptzNow())


class ReminderSent(Table, tablename="reminder_sent"):
    """One reminder that went (or was decided), by its key: inserted in the transaction that
    makes the notification, so a key taken by one server process is never sent by another."""

    #: ``due:<registration>:<due date>:<days>``, ``at_risk:<registration>:<rule>:<due date>``,
    #: ``review:<review>``, ``audit:<request>:<recipient>:<deadline>``.
    key = Varchar(length=200, primary_key=True)
    recipient = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, index=True)
    kind = Varchar(length=32)
    sent_at = Timestamptz(default=TimestamptzNow())


class CalendarFeed(Table, tablename="calendar_feed"):
    """A person's secret calendar address: only the SHA-256 of its token is kept."""

    owner = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, primary_key=True)
    token_hash = Varchar(length=64, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())


class ReminderCheck(Table, tablename="reminder_check"):
    """When a worker's registrations next need judging for reminders (bench.reminders: judging
    100,000 workers every run is minutes; most have nothing that can change before this day).

    A worker is judged again on ``next_check_on``, or sooner when their evidence changed
    (``evidence_seq`` behind their change counter), a registration or their settings changed
    after ``checked_at``."""

    owner = ForeignKey(references=Account, on_delete=OnDelete.cascade, null=False, primary_key=True)
    next_check_on = Date()
    evidence_seq = BigInt(default=0)
    checked_at = Timestamptz(default=TimestamptzNow())
