"""Requirement packs: each register's CPD rules as data, a worker's registrations, their
progress against the rules, and the profile a regulator would ask for."""

from cpl.requirements.library import check_requirement_packs
from cpl.requirements.peers import forget_peer_discussion
from cpl.requirements.routes import (
    GapExplanationController,
    PeerDiscussionController,
    ProgressController,
    RegistrationController,
    RequirementPackController,
)
from cpl.requirements.sign_offs import SignOffs

__all__ = [
    "GapExplanationController",
    "PeerDiscussionController",
    "ProgressController",
    "RegistrationController",
    "RequirementPackController",
    "SignOffs",
    "check_requirement_packs",
    "forget_peer_discussion",
]
