"""`cpl verify` on a JSON or CSV export given without its statement says a statement is needed."""

from __future__ import annotations

import json

from cpl.cli import main
from tests.exports.helpers import export_file, jwks, worker_record
from tests.factories import sign_up


async def test_a_csv_or_json_export_without_its_statement_is_told_to_give_one(client, tmp_path, capsys):
    headers = await sign_up(client)
    await worker_record(client, headers)
    keys = tmp_path / "jwks.json"
    keys.write_text(json.dumps(await jwks(client)))
    for export_format, name in (("csv", "export.csv"), ("json", "record.json")):
        _, data = await export_file(client, headers, export_format)
        path = tmp_path / name
        path.write_bytes(data)
        assert main(["verify", str(path), "--keys", str(keys)]) == 1
        said = capsys.readouterr().err
        assert "--statement" in said and "carries no signature" in said, said
        assert "credential" not in said and "JWS" not in said, said
