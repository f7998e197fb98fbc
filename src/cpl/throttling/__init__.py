"""Throttles of guessing: sign-in, sign-up and share-link passcodes (issue 14, item 4)."""

from cpl.throttling.service import SpacedAttempt, Spacing, claim_spaced_attempt, count_attempt, forget, give_back

__all__ = ["SpacedAttempt", "Spacing", "claim_spaced_attempt", "count_attempt", "forget", "give_back"]
