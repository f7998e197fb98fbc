"""Requirement packs: each register's CPD rules as data, a worker's registrations, their
progress against the rules, and the profile a regulator would ask for."""

from cpl.requirements.library import check_requirement_packs
from cpl.requirements.peers import erase_owner_peer_discussions, forget_peer_discussion, peer_discussions_data
from cpl.requirements.routes import (
    GapExplanationController,
    PeerDiscussionController,
    ProgressController,
    RegistrationController,
    RequirementPackController,
)
from cpl.requirements.service import erase_owner_registrations, gap_explanations_data, registrations_data
from cpl.requirements.sign_offs import SignOffs

__all__ = [
    "GapExplanationController",
    "PeerDiscussionController",
    "ProgressController",
    "RegistrationController",
    "RequirementPackController",
    "SignOffs",
    "check_requirement_packs",
    "erase_owner_peer_discussions",
    "erase_owner_registrations",
    "forget_peer_discussion",
    "gap_explanations_data",
    "peer_discussions_data",
    "registrations_data",
]
