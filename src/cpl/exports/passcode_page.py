"""The page a browser gets for a share link that needs its passcode: a form that POSTs it.

A person opening a link in a browser cannot add the ``X-Share-Passcode`` header, and the
passcode must never travel in the address, so the link answers a browser (``Accept`` naming
``text/html``) with this form instead of a JSON problem; the form posts the passcode as a
field, and the answer is the file. Plain HTML, no script.
"""

from __future__ import annotations

from html import escape

STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:30rem;margin:2rem auto;padding:0 1rem;color:#222}"
    "label{display:block;font-weight:600;margin:1rem 0 .3rem}input{font-size:1.1rem;padding:.4rem;width:100%}"
    "button{margin-top:1rem;font-size:1.1rem;padding:.5rem 1.2rem}.problem{color:#a11}"
)


def wants_a_page(accept: str) -> bool:
    """Browsers name ``text/html``; API clients (``*/*`` or JSON) keep their problem documents."""
    return "text/html" in accept


def passcode_page(problem: str) -> str:
    """The form; ``problem`` (a wrong passcode, a wait) shown above it when there is one."""
    alert = f'<p class="problem" role="alert">{escape(problem)}</p>' if problem else ""
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" '
        f'content="width=device-width,initial-scale=1"><title>Passcode needed</title><style>{STYLE}</style></head>'
        f"<body><h1>This shared record needs its passcode</h1>{alert}"
        "<p>The person who shared it gave you the passcode separately from the link.</p>"
        '<form method="post"><label for="passcode">Passcode</label>'
        '<input id="passcode" name="passcode" type="password" autocomplete="off" required maxlength="128" autofocus>'
        '<button type="submit">Open</button></form></body></html>'
    )
