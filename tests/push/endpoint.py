"""A push service the tests run: a real HTTP server (in a thread) that receives pushes, as a
browser's push service would, and checks them as the device and the push service do.

- :class:`Device` is a browser's subscription: a real P-256 key pair and a 16-byte auth secret.
- :meth:`PushService.decrypt` opens the payload with the device's private key (RFC 8291,
  ``aes128gcm``, with ``http_ece``).
- :func:`vapid_claims` checks the ``Authorization: vapid t=…, k=…`` header (RFC 8292): the key is
  the one cpl serves, the JWT's ES256 signature verifies with it, and returns the claims.
"""

from __future__ import annotations

import base64
import json
import queue
import secrets
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import anyio.to_thread
import http_ece
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Device:
    """One browser's push subscription on the test push service."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: secrets.token_bytes(16))

    def subscription(self) -> dict:
        """As ``PushSubscription.toJSON()`` gives it."""
        point = self.private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": b64url(point), "auth": b64url(self.auth)},
        }


class PushService:
    """``answers[token]``: the statuses to answer pushes to that device with, in turn (then 201);
    a device ``on_hold`` is answered only once the test calls :meth:`release`."""

    def __init__(self) -> None:
        self.received: queue.Queue[Received] = queue.Queue()
        self.answers: dict[str, list[int]] = {}
        self.on_hold: set[str] = set()
        self.released = threading.Event()
        self.held = 0
        service = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                service.received.put(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                token = self.path.rsplit("/", 1)[-1]
                if token in service.on_hold:
                    service.held += 1
                    service.released.wait()
                    service.held -= 1
                answers = service.answers.get(token) or [201]
                status = answers.pop(0) if len(answers) > 1 else answers[0]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def device(self, *answers: int) -> Device:
        token = secrets.token_hex(8)
        if answers:
            self.answers[token] = list(answers)
        return Device(f"{self.origin}/push/{token}")

    def device_on_hold(self) -> Device:
        device = self.device()
        self.on_hold.add(device.endpoint.rsplit("/", 1)[-1])
        return device

    def release(self) -> None:
        self.released.set()

    async def next(self, within: float = 10) -> Received:
        """The next push received (cpl pushes in the background: the test's event loop must run meanwhile)."""
        return await anyio.to_thread.run_sync(lambda: self.received.get(timeout=within))

    async def nothing_more(self, wait: float = 0.3) -> bool:
        try:
            await self.next(within=wait)
        except queue.Empty:
            return True
        return False

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


def decrypt(received: Received, device: Device) -> dict:
    assert received.headers["content-encoding"] == "aes128gcm"
    plain = http_ece.decrypt(
        received.body, private_key=device.private_key, auth_secret=device.auth, version="aes128gcm"
    )
    return json.loads(plain)


def vapid_claims(received: Received, served_key: str) -> dict:
    """The claims of the push's VAPID token, after checking its key and its ES256 signature (RFC 8292)."""
    scheme, _, params = received.headers["authorization"].partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    assert fields["k"] == served_key
    header, claims, signature = fields["t"].split(".")
    assert json.loads(b64url_decode(header)) == {"typ": "JWT", "alg": "ES256"}
    raw = b64url_decode(signature)
    assert len(raw) == 64
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), b64url_decode(served_key))
    public.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
    return json.loads(b64url_decode(claims))
