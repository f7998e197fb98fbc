"""The issuer's signing keys: the current one and every retired one, kept so old exports verify."""

from __future__ import annotations

from piccolo.columns import Boolean, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class IssuerKey(Table, tablename="issuer_key"):
    """An Ed25519 key the service signs exports with, or once did.

    Never deleted: a retired key stays published (JWKS and DID document) so that every
    credential signed with it still verifies.
    """

    #: RFC 7638 JWK thumbprint of the public key (the ``kid`` and DID URL fragment).
    kid = Varchar(length=64, primary_key=True)
    #: Raw 32-byte public key, base64url.
    public_key = Varchar(length=64)
    #: PKCS#8 PEM of a generated key. Empty for a key supplied by settings (it stays there).
    #: Never returned by any route.
    private_key = Text(default="", secret=True)
    created_at = Timestamptz(default=TimestamptzNow())
    retired_at = Timestamptz(null=True, default=None)
    #: TRUE for the one key that signs now, NULL once retired. Unique, so two processes
    #: starting (or rotating) at the same moment cannot both install a signing key.
    current = Boolean(null=True, default=None, unique=True)
