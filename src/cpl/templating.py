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


#: Headers of every server-rendered page: no script, no framing, no referrer (the page's URL
#: may hold a one-time token), never cached.
PAGE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    ),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
}
