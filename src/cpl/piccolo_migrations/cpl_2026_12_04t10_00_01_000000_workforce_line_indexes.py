"""The workforce view's indexes, built outside a transaction (see :mod:`cpl.migration_steps`)."""

from cpl.migration_steps import Index, index_migration

ID = "2026-12-04T10:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Workforce lines: one per (organisation, worker); pages, marked lines and counts by index"

INDEXES = [
    #: One line per worker sharing with an organisation.
    Index("workforce_line_pair", "workforce_line", "organisation, worker", unique=True),
    #: Pages follow names, then ids.
    Index("workforce_line_order", "workforce_line", "organisation, display_name, worker"),
    #: The lines to judge again: marked (null) or judged for another day.
    Index("workforce_line_valid", "workforce_line", "organisation, valid_on"),
    #: Counts by status of a whole workforce.
    Index("workforce_line_status", "workforce_line", "organisation, status_rank"),
    #: A line's registrations, and the filters by register.
    Index("workforce_registration_line", "workforce_registration", "organisation, worker"),
    Index("workforce_registration_register", "workforce_registration", "organisation, register, status_rank"),
]


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
