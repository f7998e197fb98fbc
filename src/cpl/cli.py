"""The ``cpl`` command: serve, migrate, and operator tasks."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import json
import logging
import os
import sys
from pathlib import Path

import anyio
import uvicorn
from cryptography import x509
from pydantic import TypeAdapter, ValidationError

from cpl import db
from cpl.access_log import access_log_config
from cpl.accounts import second_factor
from cpl.accounts.schemas import DisplayName, Email, Password
from cpl.accounts.service import create_account
from cpl.attachments.reconcile import reconcile
from cpl.audit import AuditLog
from cpl.cli_audit import add_audit_commands
from cpl.cli_operators import BY_CLI, add_operator_commands
from cpl.client_address import uvicorn_proxy_options
from cpl.competences.importer import ImportResult, import_package
from cpl.competences.upload import FileFormat, csv_framework_from, read_framework_file
from cpl.errors import CplError
from cpl.migrate import migrate_database
from cpl.privacy import run_retention
from cpl.public_address import served_base_url, warn_if_public_address_differs
from cpl.push import finish_sending
from cpl.reminders import Reminder, run_reminders
from cpl.settings import Settings
from cpl.signing import rotate_issuer_key
from cpl.storage import open_storage

#: What a CSV file cannot say about itself (see ``cpl.competences.schemas.CsvFrameworkIn``).
CSV_FRAMEWORK_OPTIONS = ("title", "edition", "publisher", "language", "source_uri", "licence", "identifier")


def migrate_command(settings: Settings, _: argparse.Namespace) -> int:
    asyncio.run(migrate_database(settings))
    return 0


def serve_command(settings: Settings, args: argparse.Namespace) -> int:
    """Apply migrations, optionally seed the demo data, then run uvicorn.

    With no ``CPL_PUBLIC_BASE_URL``, the public address is the one served (set in the environment,
    so every worker process builds its settings with it). On SIGTERM uvicorn stops accepting
    connections, lets in-flight requests finish for up to ``shutdown_grace`` and then runs the
    app's shutdown, which queues its running export jobs again for another node (issue 18).
    """
    host, port = args.host or settings.host, args.port or settings.port
    if "public_base_url" not in settings.model_fields_set:
        os.environ["CPL_PUBLIC_BASE_URL"] = served_base_url(host, port)
        settings = Settings()
    warn_if_public_address_differs(settings.public_base_url, host, port)
    asyncio.run(migrate_database(settings))
    if args.demo:
        from cpl.demo import seed_demo

        asyncio.run(seed_demo(settings))
    uvicorn.run(
        "cpl.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=settings.workers,
        loop="uvloop",
        http="httptools",
        log_level="info",
        log_config=access_log_config(settings.log_format),
        timeout_graceful_shutdown=max(1, round(settings.shutdown_grace.total_seconds())),
        **uvicorn_proxy_options(settings),
    )
    return 0


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("Password: ")
    if getpass.getpass("Repeat password: ") != first:
        raise SystemExit("The passwords differ.")
    return first


async def _create_user(settings: Settings, args: argparse.Namespace, password: str) -> None:
    engine = db.build_engine(settings)
    db.bind_engine(engine)
    await db.open_database(engine, settings)
    try:
        account = await create_account(
            settings,
            email=TypeAdapter(Email).validate_python(args.email),
            password=TypeAdapter(Password).validate_python(password),
            display_name=TypeAdapter(DisplayName).validate_python(args.name),
            is_admin=args.admin,
        )
    finally:
        await db.close_database(engine)
    role = "operator" if account["is_admin"] else "account"
    print(f"Created {role} {account['email']} ({account['id']})")


def users_create_command(settings: Settings, args: argparse.Namespace) -> int:
    try:
        asyncio.run(_create_user(settings, args, _read_password(args)))
    except ValidationError as error:
        print(f"Not created: {error.errors()[0]['msg']}", file=sys.stderr)
        return 2
    except CplError as error:
        print(f"Not created: {error.detail}", file=sys.stderr)
        return 1
    return 0


async def _reconcile(settings: Settings, fix: bool) -> bool:
    engine = db.build_engine(settings)
    db.bind_engine(engine)
    await db.open_database(engine, settings)
    storage = open_storage(settings)
    try:
        report = await reconcile(storage, settings, fix=fix)
    finally:
        await storage.close()
        await db.close_database(engine)
    print("\n".join(report.lines()))
    return report.clean or fix


def storage_reconcile_command(settings: Settings, args: argparse.Namespace) -> int:
    """Compare attachment rows with the object store; exit 1 when something is wrong and --fix was not given."""
    try:
        return 0 if asyncio.run(_reconcile(settings, args.fix)) else 1
    except CplError as error:
        print(f"Not reconciled: {error.detail}", file=sys.stderr)
        return 2


async def _retention(settings: Settings) -> dict[str, int]:
    engine = db.build_engine(settings)
    db.bind_engine(engine)
    await db.open_database(engine, settings)
    storage = open_storage(settings)
    try:
        return await run_retention(settings, storage)
    finally:
        await storage.close()
        await db.close_database(engine)


def retention_run_command(settings: Settings, _: argparse.Namespace) -> int:
    """Delete what is past its retention period (``cpl.privacy.retention``); print how much of each."""
    try:
        done = asyncio.run(_retention(settings))
    except CplError as error:
        print(f"Retention stopped: {error.detail}", file=sys.stderr)
        return 2
    print("\n".join(f"{name}: {count} removed" for name, count in done.items()))
    return 0


async def _import_framework(settings: Settings, args: argparse.Namespace, data: bytes) -> ImportResult:
    file_format: FileFormat = "csv" if args.file.lower().endswith(".csv") else "case"
    values = {name: getattr(args, name) for name in CSV_FRAMEWORK_OPTIONS}
    meta = csv_framework_from(file_format, values)
    engine = db.build_engine(settings)
    db.bind_engine(engine)
    await db.open_database(engine, settings)
    try:
        checked = await anyio.to_thread.run_sync(read_framework_file, data, file_format, meta)
        return await import_package(checked)
    finally:
        await db.close_database(engine)


def frameworks_import_command(settings: Settings, args: argparse.Namespace) -> int:
    """Import a CASE package (``.json``) or a CSV file (``.csv``, with ``--title``)."""
    try:
        data = Path(args.file).read_bytes()
        result = asyncio.run(_import_framework(settings, args, data))
    except OSError as error:
        print(f"Not imported: {error}", file=sys.stderr)
        return 1
    except CplError as error:
        print(f"Not imported: {error.detail}", file=sys.stderr)
        for problem in error.errors or []:
            print(f"  {problem['field']}: {problem['message']}", file=sys.stderr)
        return 1
    framework = result.framework
    verb = "Imported" if result.outcome == "created" else "Unchanged, already imported:"
    print(
        f"{verb} {framework['title']} (edition {framework['edition']}, id {framework['id']}): "
        f"{result.items} items, {result.associations} associations"
    )
    return 0


async def _rotate_key(settings: Settings) -> str:
    engine = db.build_engine(settings)
    db.bind_engine(engine)
    await db.open_database(engine, settings)
    try:
        signer = await rotate_issuer_key(settings)
        await AuditLog(settings).append("issuer_key.rotated", actor=None, object=f"key:{signer.kid}", detail=BY_CLI)
    finally:
        await db.close_database(engine)
    return signer.verification_method


def keys_rotate_command(settings: Settings, _: argparse.Namespace) -> int:
    """Retire the issuer key and sign with a new one; the old key stays published."""
    try:
        method = asyncio.run(_rotate_key(settings))
    except CplError as error:
        print(f"Not rotated: {error.detail}", file=sys.stderr)
        return 1
    print(f"Signing with {method}; earlier keys stay published.")
    return 0


def verify_command(_: Settings, args: argparse.Namespace) -> int:
    """Check a bundle, PDF or credential offline against the issuer's keys; exit 1 when it is not genuine."""
    from cpl.exports.offline import verify_file

    # pyHanko logs a traceback for every certificate path it cannot validate; the verdict says it.
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    try:
        jwks = json.loads(Path(args.keys).read_text(encoding="utf-8"))
        statement = Path(args.statement).read_text(encoding="utf-8") if args.statement else None
        roots = tuple(x509.load_pem_x509_certificates(Path(args.trust).read_bytes())) if args.trust else ()
        verdict = verify_file(Path(args.file), jwks, statement, roots)
    except (OSError, ValueError) as error:
        print(f"Cannot verify: {error}", file=sys.stderr)
        return 2
    exported = f" (export {verdict.export_id})" if verdict.export_id else ""
    if verdict.valid:
        print(f"VALID: {args.file} is a genuine, unaltered {verdict.kind}{exported}.")
        return 0
    print(f"NOT VALID: {args.file} ({verdict.kind}){exported}", file=sys.stderr)
    for reason in verdict.reasons:
        print(f"  - {reason}", file=sys.stderr)
    return 1


async def _reset_second_factor(settings: Settings, email: str) -> None:
    engine = db.build_engine(settings)
    db.bind_engine(engine)
    await db.open_database(engine, settings)
    try:
        await second_factor.reset(email)
    finally:
        await db.close_database(engine)


def users_reset_second_factor_command(settings: Settings, args: argparse.Namespace) -> int:
    """For someone who lost their authenticator and their recovery codes: check who they are first."""
    try:
        email = TypeAdapter(Email).validate_python(args.email)
        asyncio.run(_reset_second_factor(settings, email))
    except ValidationError as error:
        print(f"Not reset: {error.errors()[0]['msg']}", file=sys.stderr)
        return 2
    except CplError as error:
        print(f"Not reset: {error.detail}", file=sys.stderr)
        return 1
    print(f"Second factor turned off for {email}; they can sign in with their password and set up a new one.")
    return 0


async def _reminders(settings: Settings) -> list[Reminder]:
    engine = db.build_engine(settings)
    db.bind_engine(engine)
    await db.open_database(engine, settings)
    try:
        return await run_reminders(settings)
    finally:
        await finish_sending(settings)
        await db.close_database(engine)


def reminders_run_command(settings: Settings, _: argparse.Namespace) -> int:
    """Send the reminders due now (each once, whoever else runs them); print each one sent."""
    sent = asyncio.run(_reminders(settings))
    for reminder in sent:
        print(f"{reminder.kind} to {reminder.recipient}: {reminder.message}")
    print(f"{len(sent)} reminder(s) sent")
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="cpl", description="Continuous professional learning records.")
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="apply migrations and run the HTTP service")
    serve.add_argument("--host")
    serve.add_argument("--port", type=int)
    serve.add_argument("--demo", action="store_true", help="seed demo data (see cpl.demo)")
    serve.set_defaults(handler=serve_command)

    commands.add_parser("migrate", help="apply pending database migrations").set_defaults(handler=migrate_command)

    users = commands.add_parser("users", help="manage accounts").add_subparsers(dest="users_command", required=True)
    create = users.add_parser("create", help="create an account (operators with --admin)")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True, help="display name")
    create.add_argument("--admin", action="store_true", help="make an operator account")
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.set_defaults(handler=users_create_command)
    add_operator_commands(commands)
    add_audit_commands(commands)
    reset = users.add_parser(
        "reset-second-factor", help="turn off the second factor of someone who lost their app and recovery codes"
    )
    reset.add_argument("--email", required=True)
    reset.set_defaults(handler=users_reset_second_factor_command)

    frameworks = commands.add_parser("frameworks", help="manage competence frameworks").add_subparsers(
        dest="frameworks_command", required=True
    )
    framework_import = frameworks.add_parser("import", help="import a CASE package (.json) or a CSV file (.csv)")
    framework_import.add_argument("file", help="CASE CFPackage JSON, or CSV with code,title,statement,parent_code")
    for name in CSV_FRAMEWORK_OPTIONS:
        framework_import.add_argument(
            f"--{name.replace('_', '-')}", dest=name, help=f"CSV files only: the framework's {name}"
        )
    framework_import.set_defaults(handler=frameworks_import_command)

    storage = commands.add_parser("storage", help="attachment storage").add_subparsers(
        dest="storage_command", required=True
    )
    reconcile = storage.add_parser("reconcile", help="report (and with --fix repair) rows and objects that disagree")
    reconcile.add_argument("--fix", action="store_true", help="delete orphans, finish promotions, clean up")
    reconcile.set_defaults(handler=storage_reconcile_command)

    retention = commands.add_parser("retention", help="what is deleted once kept long enough").add_subparsers(
        dest="retention_command", required=True
    )
    retention.add_parser("run", help="purge tombstones, notifications and expired files now").set_defaults(
        handler=retention_run_command
    )

    reminders = commands.add_parser("reminders", help="reminders of due dates, reviews and audit requests")
    reminders_commands = reminders.add_subparsers(dest="reminders_command", required=True)
    reminders_commands.add_parser("run", help="send the reminders due now and list them").set_defaults(
        handler=reminders_run_command
    )

    keys = commands.add_parser("keys", help="the issuer's signing keys").add_subparsers(
        dest="keys_command", required=True
    )
    keys.add_parser("rotate", help="retire the signing key and start signing with a new one").set_defaults(
        handler=keys_rotate_command
    )

    verify = commands.add_parser("verify", help="check an export (bundle, PDF, credential) offline")
    verify.add_argument("file", help="the bundle (.zip), portfolio (.pdf) or credential (JSON or JWT)")
    verify.add_argument("--keys", default="jwks.json", help="the issuer's keys, from <service>/.well-known/jwks.json")
    verify.add_argument(
        "--trust",
        help="for a PDF signed with a deployment's own certificate: the root certificates to trust (PEM)",
    )
    verify.add_argument(
        "--statement", help="for a JSON or CSV export: a file holding the signature from its /verify page"
    )
    verify.set_defaults(handler=verify_command)
    return parser


def load_settings() -> Settings:
    """The settings from ``CPL_*`` variables; a bad one ends the command with a line naming it (exit 2)."""
    try:
        return Settings()
    except ValidationError as error:
        for item in error.errors():
            name = "CPL_" + "_".join(str(part) for part in item["loc"]).upper() if item["loc"] else "settings"
            message = str(item["msg"]).removeprefix("Value error, ")
            print(f"cpl: {name}: {message}", file=sys.stderr)
        raise SystemExit(2) from None


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(load_settings(), args)


if __name__ == "__main__":
    raise SystemExit(main())
