"""``cpl operators …`` and ``cpl organisations …``: giving the operator flag, and vetting organisations.

Vetting from the command line is recorded exactly as through the API: the operator named with
``--by`` (an operator account) is who decided, ``--note`` the evidence (see
:mod:`cpl.organisations.vetting`).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any
from uuid import UUID

from pydantic import ValidationError

from cpl import db
from cpl.accounts.operators import account_id_by_email, set_operator
from cpl.audit import AuditLog
from cpl.errors import CplError
from cpl.organisations import vetting
from cpl.organisations.schemas import OperatorOrganisationOut, VettingIn
from cpl.settings import Settings

#: What an event recorded by a command (not through the API) says about where it came from.
BY_CLI = {"via": "cli"}


def run_with_database(settings: Settings, work: Callable[[], Awaitable[Any]]) -> Any:
    async def run() -> Any:
        engine = db.build_engine(settings)
        db.bind_engine(engine)
        await db.open_database(engine, settings)
        try:
            return await work()
        finally:
            await db.close_database(engine)

    return asyncio.run(run())


def _describe(organisation: OperatorOrganisationOut) -> str:
    state = "vetted" if organisation.vetted else "self-declared (not vetted)"
    lines = [f"{organisation.id}  {organisation.name} ({organisation.kind}): {state}"]
    lines += [
        f"    {item.decided_at.isoformat(timespec='seconds')} {item.action} by {item.operator_name}: {item.note}"
        for item in organisation.history
    ]
    return "\n".join(lines)


def operators_command(settings: Settings, args: argparse.Namespace) -> int:
    grant = args.operators_command == "grant"
    try:

        async def work() -> dict:
            account = await set_operator(args.email, grant)
            action = "operator.granted" if grant else "operator.revoked"
            await AuditLog(settings).append(action, actor=None, subjects=[account["id"]], detail=BY_CLI)
            return account

        account = run_with_database(settings, work)
    except CplError as error:
        print(f"Not changed: {error.detail}", file=sys.stderr)
        return 1
    print(f"{account['email']} is {'now' if grant else 'no longer'} an operator.")
    return 0


def organisations_list_command(settings: Settings, args: argparse.Namespace) -> int:
    async def work() -> list[OperatorOrganisationOut]:
        return await vetting.list_for_operator(await account_id_by_email(args.by), args.vetted)

    try:
        found = run_with_database(settings, work)
    except CplError as error:
        print(f"Cannot list: {error.detail}", file=sys.stderr)
        return 1
    print("\n".join(_describe(organisation) for organisation in found) or "No organisations.")
    return 0


def organisations_decide_command(settings: Settings, args: argparse.Namespace) -> int:
    action = vetting.VETTED if args.organisations_command == "vet" else vetting.REVOKED

    try:
        note = VettingIn.model_validate({"note": args.note}).note
    except ValidationError as error:
        print(f"Not changed: --note {error.errors()[0]['msg']}", file=sys.stderr)
        return 2

    async def work() -> OperatorOrganisationOut:
        operator = await account_id_by_email(args.by)
        decided = await vetting.decide(operator, args.id, action, note)
        verb = "organisation.vetted" if action == vetting.VETTED else "organisation.unvetted"
        await AuditLog(settings).append(verb, actor=operator, object=f"organisation:{args.id}", detail=BY_CLI)
        return decided

    try:
        organisation = run_with_database(settings, work)
    except CplError as error:
        print(f"Not changed: {error.detail}", file=sys.stderr)
        return 1
    print(_describe(organisation))
    return 0


def _vetted_filter(value: str) -> bool:
    if value not in ("yes", "no"):
        raise argparse.ArgumentTypeError("yes or no")
    return value == "yes"


def add_operator_commands(commands: Any) -> None:
    operators = commands.add_parser("operators", help="give or take away the operator flag").add_subparsers(
        dest="operators_command", required=True
    )
    for name, text in (("grant", "make the account an operator"), ("revoke", "take the operator flag away")):
        command = operators.add_parser(name, help=text)
        command.add_argument("email")
        command.set_defaults(handler=operators_command)

    organisations = commands.add_parser("organisations", help="vet organisations (operators)").add_subparsers(
        dest="organisations_command", required=True
    )
    listing = organisations.add_parser("list", help="organisations with their vetting state and history")
    listing.add_argument("--by", required=True, help="the operator's e-mail")
    listing.add_argument("--vetted", type=_vetted_filter, help="yes or no: only vetted, or only unvetted ones")
    listing.set_defaults(handler=organisations_list_command)
    for name, text in (
        ("vet", "record that an organisation was vetted"),
        ("unvet", "revoke an organisation's vetting"),
    ):
        command = organisations.add_parser(name, help=text)
        command.add_argument("id", type=UUID, help="the organisation's id")
        command.add_argument("--note", required=True, help="the evidence the decision rests on")
        command.add_argument("--by", required=True, help="the operator's e-mail")
        command.set_defaults(handler=organisations_decide_command)
