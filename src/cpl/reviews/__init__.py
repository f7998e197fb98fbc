"""Review and verification of evidence by supervisors, their queues, and the team view."""

from cpl.reviews.binding import current_verifications
from cpl.reviews.routes import EntryVerificationController, ReviewController, TeamController
from cpl.reviews.service import erase_reviews_received, reviews_given_data, reviews_received_data

__all__ = [
    "EntryVerificationController",
    "ReviewController",
    "TeamController",
    "current_verifications",
    "erase_reviews_received",
    "reviews_given_data",
    "reviews_received_data",
]
