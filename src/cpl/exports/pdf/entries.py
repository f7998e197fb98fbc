"""The portfolio's entries, each with what a reviewer or auditor asks for: what it was and
when, the worker's reflection in its three parts (the NMC and SSSC reflective-account
prompts), the competences it maps to, who verified it, the peer discussion, and its
attachments, images shown as thumbnails.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from cpl.exports.pdf.cover import duration, moment
from cpl.exports.pdf.document import LINE, PortfolioPdf
from cpl.exports.pdf.thumbnails import thumbnail_jpeg
from cpl.kernel.registers import verifier_line

REFLECTION_PARTS = (
    ("what_happened", "What happened"),
    ("what_i_learned", "What I learned"),
    ("how_it_changes_practice", "How it changes my practice"),
)
#: Thumbnails are drawn in a box this many millimetres a side.
THUMBNAIL_MM = 40.0


def _label(key: str) -> str:
    return key.removeprefix("x-").replace("_", " ").capitalize()


def _dates(entry: Mapping[str, Any]) -> str:
    ended = entry.get("ended_on")
    return f"{entry['occurred_on']} to {ended}" if ended and ended != entry["occurred_on"] else entry["occurred_on"]


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    return f"{size / 1024:.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.1f} MB"


def _summary(pdf: PortfolioPdf, entry: Mapping[str, Any], number: int) -> None:
    pdf.room_for(60)
    pdf.rule()
    pdf.heading(f"{number}. {entry['title']}", size=12, gap=0)
    facts = [
        _label(entry["kind"]),
        _dates(entry),
        f"activity: {_label(entry['activity_type'])}",
        "participatory" if entry["participatory"] else "not participatory",
    ]
    if entry["duration_minutes"]:
        facts.insert(2, duration(entry["duration_minutes"]))
    pdf.paragraph(" · ".join(facts))
    if entry.get("tags"):
        pdf.field("Tags", ", ".join(entry["tags"]))
    pdf.field("Content SHA-256", entry["content_sha256"])
    if entry.get("description"):
        pdf.heading("Description", size=10)
        pdf.paragraph(entry["description"])


def _reflection(pdf: PortfolioPdf, reflection: Mapping[str, str]) -> None:
    if not any(reflection.get(key) for key, _ in REFLECTION_PARTS):
        return
    pdf.heading("Reflection", size=10.5)
    for key, title in REFLECTION_PARTS:
        pdf.heading(title, size=9.5, gap=1)
        pdf.paragraph(reflection.get(key) or "(not written)")


def _competences(pdf: PortfolioPdf, competences: list[Mapping[str, Any]], frameworks: Mapping[str, str]) -> None:
    if not competences:
        return
    pdf.heading("Competences", size=10.5)
    for competence in competences:
        framework = frameworks.get(competence["framework_id"], "")
        pdf.field(competence["code"] or competence["title"], f"{competence['title']} ({framework})")
        if competence.get("note"):
            pdf.paragraph(competence["note"], size=8.5)


def _verifications(pdf: PortfolioPdf, verifications: list[Mapping[str, Any]]) -> None:
    if not verifications:
        return
    pdf.heading("Verified by", size=10.5)
    for check in verifications:
        pdf.field(verifier_line(check), f"verified {moment(check['verified_at'])}", " — ")
        if check.get("statement"):
            pdf.paragraph(f"“{check['statement']}”")


def _peer_discussion(pdf: PortfolioPdf, peer: Mapping[str, Any] | None) -> None:
    if not peer:
        return
    pdf.heading("Discussed with", size=10.5)
    who = [peer["name"], peer.get("role"), f"PIN {peer['pin']}" if peer.get("pin") else "", peer.get("email")]
    when = f"on {peer['discussed_on']}" if peer.get("discussed_on") else ""
    pdf.field(", ".join(part for part in who if part), when, " " if when else "")
    if peer.get("learning"):
        pdf.paragraph(peer["learning"])


def _thumbnail(pdf: PortfolioPdf, path: Path) -> bool:
    """Draw the image's thumbnail below the cursor; False when it cannot be read."""
    thumbnail = thumbnail_jpeg(path)
    if thumbnail is None:
        return False
    scale = THUMBNAIL_MM / max(thumbnail.width, thumbnail.height)
    width, height = thumbnail.width * scale, thumbnail.height * scale
    pdf.room_for(height + 2)
    top = pdf.get_y() + 1
    pdf.image(thumbnail.jpeg, x=pdf.l_margin + 4, y=top, w=width, h=height)
    pdf.set_y(top + height + 2)
    return True


def _attachments(pdf: PortfolioPdf, attachments: list[Mapping[str, Any]], images: Mapping[str, Path]) -> None:
    if not attachments:
        return
    pdf.heading("Attachments", size=10.5)
    for attachment in attachments:
        pdf.field(
            attachment["filename"],
            f"{attachment['media_type']}, {_size(attachment['size'])}, SHA-256 {attachment['sha256'][:16]}…",
        )
        path = images.get(attachment["id"])
        if path is not None and not _thumbnail(pdf, path):
            pdf.paragraph(f"(The image {attachment['filename']} could not be shown.)", size=8.5)


def draw_entry(
    pdf: PortfolioPdf, entry: Mapping[str, Any], number: int, frameworks: Mapping[str, str], images: Mapping[str, Path]
) -> None:
    _summary(pdf, entry, number)
    _reflection(pdf, entry["reflection"])
    _competences(pdf, entry["competences"], frameworks)
    _verifications(pdf, entry["verifications"])
    _peer_discussion(pdf, entry.get("peer_discussion"))
    _attachments(pdf, entry["attachments"], images)
    pdf.ln(LINE)
