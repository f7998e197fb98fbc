/**
 * Answering an audit request: an export of the registration and period asked for (pre-selected;
 * the worker may change them), made by `POST /v1/exports`, watched until done, then sent with
 * `POST /v1/me/audit-requests/{id}/answer`. Declining says why.
 */
import { useEffect, useState } from "preact/hooks";
import type { ApiClient, Schemas } from "../../api/client";
import { need } from "../../api/remote";
import { META, readMeta } from "../../db/db";
import { useApp } from "../../services";
import { refreshRegistrations, type Registration } from "../../sync/registrations";
import { t } from "../../strings";
import { ErrorMessage, Select, TextArea, TextField } from "../fields";
import { useAction } from "../remote/hooks";
import { useLive } from "../useLive";
import type { AuditRequest } from "./RequestSummary";

type Export = Schemas["ExportOut"];
type Format = Schemas["ExportIn"]["format"];

const FORMATS: Format[] = ["pdf", "bundle", "json", "csv", "credential"];
const WATCH_EVERY_MS = 1_000;

async function finished(api: ApiClient, started: Export, onProgress: (item: Export) => void): Promise<Export> {
  let item = started;
  while (item.status === "queued" || item.status === "running") {
    onProgress(item);
    await new Promise((resolve) => setTimeout(resolve, WATCH_EVERY_MS));
    const request = api.GET("/v1/exports/{export_id}", { params: { path: { export_id: item.id } } });
    item = await need<Export>(request, t.online.unreachable);
  }
  if (item.status !== "done") throw new Error(t.auditRequests.exportFailed(item.error));
  return item;
}

function DeclineForm({ item, onDone }: { item: AuditRequest; onDone: () => void }) {
  const { api } = useApp();
  const [reason, setReason] = useState("");
  const action = useAction();
  async function decline(event: Event) {
    event.preventDefault();
    const request = api.POST("/v1/me/audit-requests/{audit_request_id}/decline", {
      params: { path: { audit_request_id: item.id } },
      body: { reason },
    });
    if (await action.run(() => need(request, t.online.unreachable))) onDone();
  }
  return (
    <form onSubmit={decline} class="panel">
      <h2>{t.auditRequests.declineHeading}</h2>
      <p>{t.auditRequests.declineIntro}</p>
      <TextArea id="audit-decline-reason" label={t.auditRequests.reason} value={reason} onInput={setReason} />
      <ErrorMessage>{action.error}</ErrorMessage>
      <button type="submit" disabled={action.busy || !reason.trim()}>
        {t.auditRequests.decline}
      </button>
    </form>
  );
}

export function AnswerForm({ item, onDone }: { item: AuditRequest; onDone: () => void }) {
  const { api, db } = useApp();
  const all = useLive(() => readMeta<Registration[]>(db, META.registrations), [db]) ?? [];
  const registrations = all.filter((registration) => registration.register === item.register);
  const [registration, setRegistration] = useState("");
  const [format, setFormat] = useState<Format>("pdf");
  const [from, setFrom] = useState(item.period.from ?? "");
  const [to, setTo] = useState(item.period.to ?? "");
  const [note, setNote] = useState("");
  const [progress, setProgress] = useState("");
  const action = useAction();
  useEffect(() => void refreshRegistrations(db, api), [db, api]);
  useEffect(() => {
    if (!registration && registrations.length) setRegistration(registrations[0].id);
  }, [registrations.length]);

  async function send(event: Event) {
    event.preventDefault();
    const selection = { period: { from: from || null, to: to || null }, registration_id: registration || null };
    const sent = await action.run(async () => {
      const started = await need<Export>(api.POST("/v1/exports", { body: { format, selection } }), t.online.unreachable);
      const made = await finished(api, started, (job) =>
        setProgress(t.auditRequests.making(job.progress.done, job.progress.total)),
      );
      const request = api.POST("/v1/me/audit-requests/{audit_request_id}/answer", {
        params: { path: { audit_request_id: item.id } },
        body: { export_id: made.id, note },
      });
      await need(request, t.online.unreachable);
    });
    setProgress(sent ? t.auditRequests.sent : "");
    if (sent) onDone();
  }

  return (
    <>
      <form onSubmit={send} class="panel">
        <h2>{t.auditRequests.answerHeading}</h2>
        <p>{t.auditRequests.answerIntro}</p>
        {registrations.length === 0 && <p class="hint">{t.auditRequests.noRegistration}</p>}
        <Select
          id="audit-registration"
          label={t.auditRequests.registration}
          value={registration}
          onChange={setRegistration}
          options={[
            ...registrations.map((row): [string, string] => [row.id, `${row.register.toUpperCase()} ${row.registration_number}`]),
            ["", t.auditRequests.allEntries],
          ]}
        />
        <div class="field-row">
          <TextField id="audit-from" type="date" label={t.auditRequests.from_} value={from} onInput={setFrom} />
          <TextField id="audit-to" type="date" label={t.auditRequests.to_} value={to} onInput={setTo} />
        </div>
        <Select
          id="audit-format"
          label={t.auditRequests.format}
          value={format}
          onChange={(value) => setFormat(value as Format)}
          options={FORMATS.map((value): [string, string] => [value, t.exports.formats[value]])}
        />
        <TextArea id="audit-note" label={t.auditRequests.note} value={note} onInput={setNote} />
        <p role="status">{progress}</p>
        <ErrorMessage>{action.error}</ErrorMessage>
        <button type="submit" class="primary" disabled={action.busy}>
          {t.auditRequests.send}
        </button>
      </form>
      <DeclineForm item={item} onDone={onDone} />
    </>
  );
}
