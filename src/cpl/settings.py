"""Service settings, read from ``CPL_*`` environment variables when (and only when) built."""

from __future__ import annotations

import ipaddress
from datetime import timedelta
from pathlib import Path
from typing import Any, Literal

from pydantic import Field, SecretStr, ValidationInfo, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from cpl.durations import parse_duration


class Settings(BaseSettings):
    """Everything the service can be configured with.

    The defaults are the embedded ones: a SQLite file and local file storage under
    ``data_dir``, so ``cpl serve`` works on a fresh machine with nothing else installed.
    """

    model_config = SettingsConfigDict(env_prefix="CPL_", frozen=True)

    data_dir: Path = Path("cpl-data")
    #: ``sqlite:///path/to/file.sqlite3`` or ``postgres://user@host:port/db``. Empty: SQLite in data_dir.
    database_url: str = ""
    sqlite_busy_timeout_seconds: float = Field(default=15.0, gt=0)
    postgres_pool_min_size: int = Field(default=2, ge=1)
    postgres_pool_max_size: int = Field(default=20, ge=1)
    #: How long a request waits for a PostgreSQL connection (a new one, or a free one from the
    #: pool) before it answers 503; and how long one statement may take (0: no limit; migrations
    #: have none). Together they bound a request's wait on a database that is down or partitioned.
    database_connect_timeout_seconds: float = Field(default=5.0, gt=0)
    database_statement_timeout_seconds: float = Field(default=30.0, ge=0)
    #: How long ``/health`` and ``/health/ready`` wait for the database and the object store.
    health_check_timeout_seconds: float = Field(default=2.0, gt=0)

    #: Lifetime of a bearer token from the moment it is issued.
    token_ttl: timedelta = timedelta(days=30)
    #: A token's last-used time is written at most this often, to keep reads cheap.
    token_touch_interval: timedelta = timedelta(minutes=5)
    #: Resolved tokens kept per process on PostgreSQL (0: look every token up); see
    #: :mod:`cpl.accounts.session_cache`.
    token_cache_size: int = Field(default=10_000, ge=0, le=1_000_000)

    #: Failed logins allowed per account (and per client address) inside ``login_window``
    #: (every attempt counts before the check; a good one is given back: cpl.accounts.throttle).
    login_failures_per_account: int = Field(default=5, ge=1)
    login_failures_per_address: int = Field(default=20, ge=1)
    login_window: timedelta = timedelta(minutes=15)
    #: Sign-ups allowed per e-mail address asked for, and per client address, inside ``signup_window``.
    #: Per client, enough for a ward signing up together behind one NAT; per e-mail, a few retries.
    signup_attempts_per_email: int = Field(default=5, ge=1)
    signup_attempts_per_address: int = Field(default=30, ge=1)
    signup_window: timedelta = timedelta(hours=1)
    #: Peers (IP addresses or CIDR networks, comma-separated) whose ``X-Forwarded-For`` and
    #: ``X-Forwarded-Proto`` are believed: the reverse proxies in front of cpl. Empty: none, the
    #: TCP peer is the client. See cpl.client_address.
    trusted_proxies: str = ""

    #: Argon2id cost (RFC 9106 second recommended option, tuned for a small server).
    argon2_time_cost: int = Field(default=3, ge=1)
    argon2_memory_cost_kib: int = Field(default=65536, ge=8)
    argon2_parallelism: int = Field(default=1, ge=1)
    #: Hashes computed at once per server process (0: one per CPU core); others wait their turn
    #: for up to ``argon2_queue_timeout``, then answer 503 (cpl.accounts.passwords).
    argon2_max_concurrent: int = Field(default=0, ge=0, le=1024)
    argon2_queue_timeout: timedelta = timedelta(seconds=10)

    #: Largest JSON request body accepted; larger ones get 413.
    max_json_body_bytes: int = Field(default=1_048_576, ge=1024)
    #: How long an unfinished ``Idempotency-Key`` blocks a retry before it can be taken over.
    idempotency_lock_timeout: timedelta = timedelta(seconds=60)
    #: How long a finished ``Idempotency-Key`` response is kept for replay.
    idempotency_retention: timedelta = timedelta(days=7)

    # --- Attachments and object storage (issue 3) -------------------------------------------
    #: ``s3://bucket/prefix`` or ``file:///absolute/path``. Empty: files under ``data_dir/attachments``.
    storage_url: str = ""
    #: S3 endpoint for S3-compatible stores (MinIO, Ceph RGW, Garage…); empty means AWS itself.
    storage_endpoint_url: str = ""
    storage_region: str = "us-east-1"
    #: Path-style addressing (``endpoint/bucket/key``), which most self-hosted stores need.
    storage_path_style: bool = False
    #: Static credentials; when empty, boto3's standard chain (environment, profile, instance role).
    storage_access_key_id: str = ""
    storage_secret_access_key: SecretStr = SecretStr("")
    #: Each attempt on the store gives up after these; a request fails with 503 after all attempts.
    storage_connect_timeout_seconds: float = Field(default=3.0, gt=0)
    storage_read_timeout_seconds: float = Field(default=10.0, gt=0)
    storage_max_attempts: int = Field(default=3, ge=1, le=10)
    #: The total time one call on the store may take, all attempts included, before it answers 503;
    #: a call that moves a file's bytes gets a further second per ``storage_min_transfer_bytes_per_second``.
    storage_operation_timeout_seconds: float = Field(default=15.0, gt=0)
    storage_min_transfer_bytes_per_second: int = Field(default=1024 * 1024, ge=1024)
    #: Calls on the store running at once per server process, on threads of their own (a stalled
    #: store must not take the threads logins and pages need); more wait their turn.
    storage_threads: int = Field(default=16, ge=1, le=256)
    #: Largest file a worker may attach, in bytes (before images are re-encoded).
    attachment_max_bytes: int = Field(default=25 * 1024 * 1024, ge=1, le=5 * 1024**3)
    #: What one worker's files may take in the store altogether (files stored once count once).
    attachment_quota_bytes: int = Field(default=2 * 1024 * 1024 * 1024, ge=1)
    #: Images with more pixels than this are refused as decompression bombs (Pillow's own default).
    image_max_pixels: int = Field(default=89_478_485, ge=1)
    #: Memory one decoded image may take (width × height × bytes per pixel: 4 for colour): larger
    #: JPEGs are decoded and stored reduced to fit, other images refused. 128 MiB: 33 megapixels in colour.
    image_max_decoded_bytes: int = Field(default=128 * 1024 * 1024, ge=1024 * 1024)
    #: A direct-upload slot must be completed within this; later it is cleaned up.
    upload_slot_ttl: timedelta = timedelta(hours=1)
    #: Lifetime of the presigned URL a download redirects to.
    download_url_ttl: timedelta = timedelta(seconds=60)
    #: Lifetime of a link to a file of an entry shared with the viewer (:mod:`cpl.sharing.file_links`).
    shared_file_link_ttl: timedelta = timedelta(minutes=5)
    #: Staging objects younger than this are taken to be uploads in flight, not orphans.
    storage_orphan_grace: timedelta = timedelta(hours=6)
    #: How often each server process cleans expired slots, deletes released files and finishes
    #: promotions left undone (0: never).
    storage_maintenance_interval: timedelta = timedelta(minutes=5)
    #: Key for the local backend's signed upload URLs; empty: a random key kept in the storage folder.
    storage_signing_key: SecretStr = SecretStr("")
    # ------------------------------------------------------------------------------------------

    # --- Competence frameworks (issue 4) -----------------------------------------------------
    #: Largest framework file (CASE JSON or CSV) an operator may import; an ESCO-sized CASE
    #: package of ~15,000 items and their associations is about 15 MB.
    framework_import_max_bytes: int = Field(default=64 * 1024 * 1024, ge=1024)
    # ------------------------------------------------------------------------------------------

    # --- Requirement packs and progress (issue 5) ---------------------------------------------
    #: Workers whose parsed entries each server process keeps for progress, reused until their
    #: evidence changes (0: none). A worker with 5,000 entries takes about 2 MB.
    progress_cache_workers: int = Field(default=64, ge=0, le=100_000)
    # ------------------------------------------------------------------------------------------

    # --- Issuer keys and signed credentials (issue 7) ------------------------------------------
    #: Where the service is reached from outside. Every absolute URL cpl gives out is built on it, never on
    #: the request's Host header: upload URLs, CASE URIs, the issuer's did:web, links in exports and e-mails.
    #: Unset, ``cpl serve`` uses the address it binds (see :mod:`cpl.public_address`).
    public_base_url: str = "http://localhost:8000"
    #: An Ed25519 private key (PKCS#8 PEM) to sign with instead of one generated at first start.
    issuer_key_pem: SecretStr = SecretStr("")
    #: The same, read from a file (used when ``issuer_key_pem`` is empty).
    issuer_key_file: Path | None = None
    #: A file of at least 32 random bytes that encrypts the issuer's private key in the database
    #: (every server process must read the same one). Unset: ``data_dir/secret.key``, made at first start.
    secret_key_file: Path | None = None
    #: A deployment's own PDF signing key (PKCS#8 PEM) and its certificate (PEM), set together;
    #: unset, PDFs are signed with a key and certificate derived from the issuer key
    #: (src/cpl/exports/pdf/certificate.py).
    pdf_signing_key_file: Path | None = None
    pdf_signing_cert_file: Path | None = None
    #: The certificates between that certificate and its root (PEM), embedded in every signature.
    pdf_signing_chain_file: Path | None = None
    # ------------------------------------------------------------------------------------------

    # --- The person's rights: erasure, a copy of their data, retention (issue 16) -------------
    #: How often each server process looks for erasures and data exports queued by another one.
    privacy_job_interval: timedelta = timedelta(seconds=30)
    #: How long a "download my data" ZIP can be downloaded; then its file is deleted.
    data_export_ttl: timedelta = timedelta(days=7)
    #: Deleted entries' tombstones are kept this long for offline devices to learn of the
    #: deletion; a device that has not synced for longer must sync again from the start.
    tombstone_retention: timedelta = timedelta(days=180)
    #: In-app notifications, read or not, are deleted after this long.
    notification_retention: timedelta = timedelta(days=365)
    #: Audit events are deleted after this long (the chain stays verifiable from the oldest kept
    #: checkpoint). Six years: the longest a regulator's fitness-to-practise case looks back in
    #: ordinary cases (the limitation period for claims in England and Wales, Limitation Act 1980 s.5).
    audit_retention: timedelta = timedelta(days=6 * 365)
    #: How often the retention purges run (on one server process of all those on the database).
    retention_interval: timedelta = timedelta(hours=1)
    #: How often the audit chain's head is signed into a checkpoint, when events were appended.
    audit_checkpoint_interval: timedelta = timedelta(minutes=5)

    # --- Reminders and the calendar feed (issue 19) ---------------------------------------------
    #: How often reminders are worked out and sent (on one server process of all those on the
    #: database); 0: never on a schedule (``cpl reminders run`` still runs them).
    reminders_interval: timedelta = timedelta(minutes=15)
    #: A supervisor is reminded of a review in their queue once it has waited this many days.
    review_reminder_days: int = Field(default=7, ge=1, le=365)
    #: Workers and auditors are reminded of an unanswered audit request this many days before its deadline.
    audit_request_reminder_days: int = Field(default=7, ge=1, le=365)

    # --- Exports, verification and share links (issue 7) ---------------------------------------
    #: The issuer's name in exports, on verification pages and in credentials.
    service_name: str = "cpl"
    #: Export jobs each server process runs at once (0: this process runs none, another must).
    export_workers: int = Field(default=1, ge=0, le=16)
    #: How often an idle export worker looks for queued jobs started by other processes.
    export_poll_interval: timedelta = timedelta(seconds=2)
    #: A running job beats every quarter of this; one whose beat has not moved for this long is
    #: taken to be from a process that died, and is queued again (within seconds, issue 18).
    export_stale_after: timedelta = timedelta(seconds=20)
    #: Largest portable record or bundle ``POST /v1/imports`` accepts.
    import_max_bytes: int = Field(default=4 * 1024 * 1024 * 1024, ge=1024)
    #: Lifetime of a share link when the worker gives none, and the longest allowed.
    share_default_ttl: timedelta = timedelta(days=14)
    share_max_ttl: timedelta = timedelta(days=365)
    #: Passcode attempts on one share link, from everywhere, inside ``share_passcode_window``;
    #: then 429. Generous: one client address alone cannot spend it (checked below; cpl.exports.passcodes).
    share_passcode_attempts_per_link: int = Field(default=250, ge=1)
    share_passcode_window: timedelta = timedelta(hours=24)
    #: Per link and client address: this many wrong passcodes at once, then a wait of
    #: ``share_passcode_first_delay`` that doubles after each wrong one, up to ``share_passcode_max_delay``.
    share_passcode_free_attempts: int = Field(default=3, ge=1)
    share_passcode_first_delay: timedelta = timedelta(seconds=2)
    share_passcode_max_delay: timedelta = timedelta(minutes=15)
    # ------------------------------------------------------------------------------------------

    # --- Organisations, sharing and reviews (issue 6) -----------------------------------------
    #: SMTP server for every e-mail cpl sends; empty: each message is written to ``data_dir/mail``.
    smtp_host: str = ""
    smtp_port: int = Field(default=25, ge=1, le=65535)
    smtp_from: str = "cpl@localhost"
    smtp_starttls: bool = False
    smtp_username: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_timeout_seconds: float = Field(default=10.0, gt=0)
    #: Workers whose parsed entries each server process keeps for supervisors' team views
    #: (0: none); a team of 200 with 250 entries each takes about 20 MB. The same number bounds
    #: the (supervisor, supervisee) progress lines kept (src/cpl/reviews/team_cache.py).
    team_cache_workers: int = Field(default=1000, ge=0, le=100_000)
    #: How often the stored workforce lines not up to date for today (marked by a change, or
    #: judged on an earlier day) are judged again, on one server process of all those on the
    #: database (src/cpl/workforce/refresh.py); a read judges what is left itself.
    workforce_refresh_interval: timedelta = timedelta(minutes=5)
    # ------------------------------------------------------------------------------------------

    # --- E-mail ownership and the mail outbox (issue 14, item 1) -------------------------------
    #: How long a link to confirm an address (at sign-up or on a change of address) works.
    email_verification_ttl: timedelta = timedelta(hours=48)
    #: How long a password-reset link works (OWASP Forgot Password Cheat Sheet: short-lived).
    password_reset_ttl: timedelta = timedelta(hours=1)
    #: How long an invitation's link works.
    invitation_ttl: timedelta = timedelta(days=14)
    #: Mails with a link (confirm, reset) sent to one address per hour at most; further requests
    #: answer the same but send nothing (or 429 where the caller is signed in).
    email_links_per_address_per_hour: int = Field(default=5, ge=1)
    #: How often each server process retries mail that could not be sent (0: never).
    mail_retry_interval: timedelta = timedelta(seconds=30)
    #: Attempts per message before it is dropped (and logged as an error).
    mail_max_attempts: int = Field(default=8, ge=1, le=100)
    # ------------------------------------------------------------------------------------------

    # --- Web Push to the installed app (issue 19, item 2) ---------------------------------------
    #: A P-256 private key (PEM, as ``vapid --gen`` writes it) to sign pushes with (RFC 8292). Unset:
    #: one is made at first start and kept in the database, sealed under the secret key (cpl.push.keys).
    vapid_private_key_file: Path | None = None
    #: Who push services may contact about cpl's pushes: a ``mailto:`` or ``https:`` URI (RFC 8292
    #: section 2.1). Empty: ``mailto:`` + ``smtp_from``.
    vapid_subject: str = ""
    #: How long one push request may take (connect and answer) before it counts as failed.
    push_timeout_seconds: float = Field(default=5.0, gt=0)
    #: Attempts per device on a push service that fails (a 5xx, 429, timeout or refused
    #: connection); the wait doubles from ``push_retry_delay_seconds`` between them.
    push_max_attempts: int = Field(default=3, ge=1, le=10)
    push_retry_delay_seconds: float = Field(default=1.0, ge=0)
    #: How long a push service keeps a push for a device that is off (the ``TTL`` header, RFC 8030).
    push_ttl: timedelta = timedelta(days=2)
    #: Accept ``http://`` push endpoints and endpoints on IP addresses or local names. For tests and
    #: local development only: browsers' push services are all public ``https://`` hosts.
    push_allow_insecure_endpoints: bool = False
    #: How often one node pushes the notifications no request pushed (those written by event handlers).
    push_sweep_interval: timedelta = timedelta(seconds=30)
    # ------------------------------------------------------------------------------------------

    # --- The worker's web app (issue 13) --------------------------------------------------------
    #: A build of the web app to serve at ``/app/`` instead of the one inside the package.
    web_app_folder: Path | None = None
    # ------------------------------------------------------------------------------------------

    # --- Second factor for people who sign off (issue 14, item 3) ------------------------------
    #: Wrong second-factor codes (TOTP or recovery) allowed per account inside
    #: ``second_factor_window``; each attempt is counted before the code is checked.
    second_factor_failures: int = Field(default=5, ge=1)
    second_factor_window: timedelta = timedelta(minutes=15)
    #: How long a sign-in that passed the password may wait for its second-factor code.
    sign_in_challenge_ttl: timedelta = timedelta(minutes=5)
    #: A file of random bytes (at least 32) from which the keys sealing secrets at rest are
    #: derived (HKDF); TOTP secrets are sealed with it. Empty: no key, secrets stored unsealed.
    secret_key_file: Path | None = None
    # ------------------------------------------------------------------------------------------

    # --- Running at scale (issue 18): metrics and logs -----------------------------------------
    #: The bearer token a Prometheus scraper sends to ``/metrics``; empty: no metrics (404).
    metrics_token: SecretStr = SecretStr("")
    #: ``text`` (readable) or ``json`` (one object per line, with the request id: cpl.request_log).
    log_format: Literal["text", "json"] = "text"
    #: OpenTelemetry spans for every request (needs the ``tracing`` extra; see cpl.tracing).
    tracing: bool = False
    # ------------------------------------------------------------------------------------------

    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    workers: int = Field(default=1, ge=1)

    # --- Several nodes on one database (issue 18) ---------------------------------------------
    #: How often each server process marks itself alive in the database.
    node_heartbeat_interval: timedelta = timedelta(seconds=2)
    #: A process not seen for this long is dead: what it held (an ``Idempotency-Key``) is released.
    node_lease: timedelta = timedelta(seconds=10)
    #: On SIGTERM, how long in-flight requests may take to finish before the process stops anyway.
    shutdown_grace: timedelta = timedelta(seconds=25)
    #: Spool, export work and partial files untouched for this long were left by a crash and are
    #: deleted at start-up and by ``cpl storage reconcile --fix`` (a live upload keeps writing).
    crash_leftover_age: timedelta = timedelta(hours=1)

    @field_validator("*", mode="before")
    @classmethod
    def _durations_in_seconds_or_iso(cls, value: Any, info: ValidationInfo) -> Any:
        """Every duration setting takes ``0``, plain seconds or ISO 8601 (:mod:`cpl.durations`)."""
        if info.field_name and cls.model_fields[info.field_name].annotation is timedelta:
            return parse_duration(value)
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_addresses(cls, value: str) -> str:
        for item in value.split(","):
            if item.strip():
                ipaddress.ip_network(item.strip(), strict=False)  # a ValueError names the bad entry
        return value

    @model_validator(mode="after")
    def _one_address_cannot_spend_a_link(self) -> Settings:
        """A guesser at one address must not be able to lock a share link's real recipient out."""
        most = self.passcode_attempts_one_address_can_make()
        if most >= self.share_passcode_attempts_per_link:
            raise ValueError(
                f"share_passcode_attempts_per_link must exceed {most}, what one client address can try in a "
                "share_passcode_window with these delays"
            )
        return self

    def passcode_attempts_one_address_can_make(self) -> int:
        """At most how many passcodes one client address can try on one link in any ``share_passcode_window``.

        Its attempts are spaced (cpl.exports.passcodes): within one of its own windows it makes the
        free ones, then one after each delay. Any span of ``share_passcode_window`` meets at most two
        of its windows.
        """
        elapsed, attempts, window = 0.0, 0, self.share_passcode_window.total_seconds()
        first, longest = self.share_passcode_first_delay.total_seconds(), self.share_passcode_max_delay.total_seconds()
        if first <= 0 or longest <= 0:
            return 2**31  # no delay at all: unbounded
        while elapsed < window:
            attempts += 1
            steps = attempts - self.share_passcode_free_attempts
            elapsed += 0.0 if steps < 0 else min(longest, first * 2 ** min(steps, 64))
        return 2 * attempts

    @property
    def trusted_proxy_networks(self) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
        return tuple(
            ipaddress.ip_network(item.strip(), strict=False) for item in self.trusted_proxies.split(",") if item.strip()
        )

    @model_validator(mode="after")
    def _pdf_signing_files_together(self) -> Settings:
        if (self.pdf_signing_key_file is None) != (self.pdf_signing_cert_file is None):
            raise ValueError("CPL_PDF_SIGNING_KEY_FILE and CPL_PDF_SIGNING_CERT_FILE are set together or not at all")
        if self.pdf_signing_chain_file is not None and self.pdf_signing_key_file is None:
            raise ValueError("CPL_PDF_SIGNING_CHAIN_FILE needs CPL_PDF_SIGNING_KEY_FILE and CPL_PDF_SIGNING_CERT_FILE")
        return self

    @property
    def resolved_database_url(self) -> str:
        """The configured database URL, or the embedded SQLite file under ``data_dir``."""
        return self.database_url or f"sqlite:///{(self.data_dir / 'cpl.sqlite3').resolve()}"

    @property
    def uses_postgres(self) -> bool:
        return self.resolved_database_url.startswith(("postgres://", "postgresql://"))

    @property
    def mail_folder(self) -> Path:
        """Where messages are written when no SMTP server is configured."""
        return self.data_dir / "mail"

    @property
    def resolved_storage_url(self) -> str:
        """The configured storage URL, or the embedded local folder under ``data_dir``."""
        return self.storage_url or f"file://{(self.data_dir / 'attachments').resolve()}"
