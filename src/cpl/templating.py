"""The one Jinja2 environment: server-rendered pages and e-mail bodies (CONVENTIONS rule 17).

Templates live in ``cpl/templates``: ``pages/*.html`` (autoescaped) and ``mail/*.txt`` (plain
text, not escaped: a mail body is not HTML). A mail template's first line is its subject,
then a blank line, then the body.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

TEMPLATE_FOLDER = Path(__file__).parent / "templates"
#: Files the pages load (their style sheet, the file check script), served as they are.
ASSETS_FOLDER = TEMPLATE_FOLDER / "assets"


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATE_FOLDER),
        autoescape=select_autoescape(["html"]),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
    )


def render_mail(template: str, **context: object) -> tuple[str, str]:
    """``(subject, body)`` of ``mail/<template>.txt``."""
    text = environment().get_template(f"mail/{template}.txt").render(**context)
    subject, _, body = text.partition("\n\n")
    return subject.strip(), body.lstrip("\n")


#: Headers of the account pages beyond those every HTML page gets (:mod:`cpl.page_headers`): never
#: cached, as the page's address may hold a one-time token.
PAGE_HEADERS = {"Cache-Control": "no-store"}
