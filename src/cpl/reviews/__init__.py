"""Review and verification of evidence by supervisors, their queues, and the team view."""

from cpl.reviews.binding import current_verifications
from cpl.reviews.routes import EntryVerificationController, ReviewController, TeamController

__all__ = ["EntryVerificationController", "ReviewController", "TeamController", "current_verifications"]
