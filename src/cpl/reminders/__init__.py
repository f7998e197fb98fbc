"""Reminders of what is due and still missing (registrations, reviews, audit requests), each
person's reminder settings, and their calendar feed."""

from cpl.reminders.data import erase_reminders, reminders_data
from cpl.reminders.due import Reminder
from cpl.reminders.retention import purge_past_reminders
from cpl.reminders.routes import CalendarController, CalendarFeedController, ReminderSettingsController
from cpl.reminders.run import run_reminders

__all__ = [
    "CalendarController",
    "CalendarFeedController",
    "Reminder",
    "ReminderSettingsController",
    "erase_reminders",
    "purge_past_reminders",
    "reminders_data",
    "run_reminders",
]
