"""Review and verification of evidence by supervisors, their queues, and the team view."""

from cpl.reviews.binding import current_verifications
from cpl.reviews.closing import (
    close_reviews_of_deleted_entry,
    close_reviews_of_ended_supervision,
    close_reviews_of_revoked_share,
    close_reviews_on_leaving,
)
from cpl.reviews.routes import EntryVerificationController, ReviewController, TeamController
from cpl.reviews.service import erase_reviews_received, reviews_given_data, reviews_received_data
from cpl.reviews.stale import notify_stale_verifications

__all__ = [
    "EntryVerificationController",
    "ReviewController",
    "TeamController",
    "close_reviews_of_deleted_entry",
    "close_reviews_of_ended_supervision",
    "close_reviews_of_revoked_share",
    "close_reviews_on_leaving",
    "current_verifications",
    "erase_reviews_received",
    "notify_stale_verifications",
    "reviews_given_data",
    "reviews_received_data",
]
