"""The first release's indexes over several columns, built outside a transaction (see :mod:`cpl.migration_steps`).

Tables are created by the baseline just before; on a database the previous release made
they exist already, with these indexes, and ``IF NOT EXISTS`` leaves them as they are.
"""

from cpl.migration_steps import Index, index_migration

ID = "2026-12-02T18:40:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "Baseline indexes: sync feed, lists, queues, uniqueness over several columns"

INDEXES = [
    #: The sync feed, the entry list, one idempotency record per owner and key.
    Index("evidence_entry_owner_change_seq", "evidence_entry", "owner, change_seq", unique=True),
    Index("evidence_entry_owner_occurred", "evidence_entry", "owner, occurred_on, id"),
    Index("idempotency_record_owner_key", "idempotency_record", "owner, key", unique=True),
    #: One attachment per owner and SHA-256; one link per attachment and entry.
    Index("attachment_owner_sha256", "attachment", "owner, sha256", unique=True),
    Index("attachment_link_attachment_entry", "attachment_link", "attachment, entry", unique=True),
    #: One row per edition of a framework; an item identifier once per edition; the tree in order.
    Index("competence_framework_identifier_edition", "competence_framework", "identifier, edition", unique=True),
    Index("competence_item_framework_identifier", "competence_item", "framework, identifier", unique=True),
    Index("competence_item_framework_position", "competence_item", "framework, position"),
    #: Associations into a framework another package (or cpl) points at.
    Index("competence_item_identifier", "competence_item", "identifier"),
    #: Everything associated with one framework's items, from either end (crosswalks, the tree view).
    Index("competence_association_origin_framework", "competence_association", "origin_framework, association_type"),
    Index(
        "competence_association_destination_framework",
        "competence_association",
        "destination_framework, association_type",
    ),
    Index("competence_association_framework", "competence_association", "framework"),
    Index(
        "competence_association_unresolved",
        "competence_association",
        "destination_identifier",
        where="destination IS NULL",
    ),
    #: An entry links to an item once; a worker's links are read by framework or by item.
    Index("competence_link_entry_item", "competence_link", "entry, item", unique=True),
    Index("competence_link_owner_framework", "competence_link", "owner, framework"),
    Index("competence_link_owner_item", "competence_link", "owner, item"),
    #: A member's roles, a supervisor's links.
    Index("membership_account_organisation", "membership", "account, organisation"),
    Index("supervision_link_supervisor_worker", "supervision_link", "supervisor, worker"),
    #: The reviewer's queue, the worker's submissions.
    Index("review_reviewer_queue", "review", "reviewer, state, submitted_at, id"),
    Index("review_owner_submitted", "review", "owner, submitted_at, id"),
    #: A recipient's newest notifications.
    Index("notification_recipient_created", "notification", "recipient, created_at"),
]


async def forwards():
    return index_migration(ID, DESCRIPTION, INDEXES)
