/**
 * Starting an export: a format and a selection — a period, or what counts for one of my
 * registrations (its requirement pack's cycle). `POST /v1/exports` queues a background job.
 */
import { useEffect, useState } from "preact/hooks";
import type { Schemas } from "../../api/client";
import { need } from "../../api/remote";
import { META, readMeta } from "../../db/db";
import { useApp } from "../../services";
import { refreshRegistrations, type Registration } from "../../sync/registrations";
import { t } from "../../strings";
import { ErrorMessage, Select, TextField } from "../fields";
import { useAction } from "../remote/hooks";
import { useLive } from "../useLive";

type Export = Schemas["ExportOut"];
type Format = Schemas["ExportIn"]["format"];

const FORMATS: Format[] = ["pdf", "bundle", "credential", "json", "csv"];

export function ExportForm({ onCreated }: { onCreated: (created: Export) => void }) {
  const { api, db } = useApp();
  const registrations = useLive(() => readMeta<Registration[]>(db, META.registrations), [db]) ?? [];
  const [format, setFormat] = useState<Format>("pdf");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [registration, setRegistration] = useState("");
  const action = useAction();
  useEffect(() => void refreshRegistrations(db, api), [db, api]);

  async function start(event: Event) {
    event.preventDefault();
    const period = from || to ? { from: from || null, to: to || null } : null;
    const selection = { period, registration_id: registration || null };
    const request = api.POST("/v1/exports", { body: { format, selection } });
    await action.run(async () => onCreated(await need<Export>(request, t.online.unreachable)));
  }

  return (
    <form onSubmit={start} class="panel">
      <h2>{t.exports.createHeading}</h2>
      <Select
        id="export-format"
        label={t.exports.format}
        value={format}
        onChange={(value) => setFormat(value as Format)}
        options={FORMATS.map((value): [string, string] => [value, t.exports.formats[value]])}
      />
      <fieldset>
        <legend>{t.exports.selectionLegend}</legend>
        <div class="field-row">
          <TextField id="export-from" type="date" label={t.exports.from} value={from} onInput={setFrom} />
          <TextField id="export-to" type="date" label={t.exports.to} value={to} onInput={setTo} />
        </div>
        <Select
          id="export-registration"
          label={t.exports.registration}
          value={registration}
          onChange={setRegistration}
          options={[
            ["", t.exports.allEntries],
            ...registrations.map((item): [string, string] => [
              item.id,
              `${item.register.toUpperCase()} ${item.registration_number}`,
            ]),
          ]}
        />
      </fieldset>
      <ErrorMessage>{action.error}</ErrorMessage>
      <button type="submit" class="primary" disabled={action.busy}>
        {t.exports.start}
      </button>
    </form>
  );
}
