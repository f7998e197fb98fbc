/**
 * One audit request, as its auditors see it: what was asked, the answer to open (the shared
 * record's link with its passcode, shown only here; the export's signature check), the outcome
 * to record with a note, or withdrawing a request still waiting. Online only.
 */
import { useRoute } from "preact-iso";
import { useState } from "preact/hooks";
import type { Schemas } from "../api/client";
import { need } from "../api/remote";
import { type AuditRequest, RequestSummary } from "../components/audits/RequestSummary";
import { ErrorMessage, Select, TextArea } from "../components/fields";
import { moment } from "../components/remote/format";
import { useAction, useRemote } from "../components/remote/hooks";
import { OnlineOnlyNote } from "../components/remote/OnlineOnly";
import { paths } from "../routes";
import { useApp } from "../services";
import { t } from "../strings";

type Outcome = Schemas["AuditOutcomeIn"]["outcome"];

const WAITING = ["requested", "more_information_needed"];

function Response({ item }: { item: AuditRequest }) {
  const response = item.response;
  if (!response) return <p>{t.audits.noResponse}</p>;
  return (
    <>
      <p>
        <a href={response.share_url} target="_blank" rel="noopener noreferrer">
          {t.audits.openResponse}
        </a>{" "}
        ({t.exports.formats[response.format] ?? response.format})
      </p>
      <p>
        {t.audits.passcode}: <code>{response.passcode}</code>
      </p>
      <p class="hint">{t.audits.passcodeHint}</p>
      <p>{response.withdrawn_at ? t.audits.withdrawnLink : response.expires_at && t.audits.expires(moment(response.expires_at))}</p>
      <p>
        <a href={response.verify_url}>{t.audits.verify}</a> <span class="hint">{t.audits.digest(response.sha256)}</span>
      </p>
    </>
  );
}

function OutcomeForm({ item, onDone }: { item: AuditRequest; onDone: () => void }) {
  const { api } = useApp();
  const [outcome, setOutcome] = useState<Outcome>("accepted");
  const [note, setNote] = useState("");
  const action = useAction();
  async function record(event: Event) {
    event.preventDefault();
    const request = api.POST("/v1/audit-requests/{audit_request_id}/outcome", {
      params: { path: { audit_request_id: item.id } },
      body: { outcome, note },
    });
    if (await action.run(() => need(request, t.online.unreachable))) onDone();
  }
  return (
    <form onSubmit={record} class="panel">
      <h2>{t.audits.outcomeHeading}</h2>
      <Select
        id="audit-outcome"
        label={t.audits.outcome}
        value={outcome}
        onChange={(value) => setOutcome(value as Outcome)}
        options={Object.entries(t.audits.outcomes)}
      />
      <TextArea id="audit-outcome-note" label={t.audits.note} value={note} onInput={setNote} />
      <ErrorMessage>{action.error}</ErrorMessage>
      <button type="submit" class="primary" disabled={action.busy}>
        {t.audits.record}
      </button>
    </form>
  );
}

export function AuditScreen() {
  const { api } = useApp();
  const { params } = useRoute();
  const path = { audit_request_id: params.id };
  const request = useRemote(
    () => need<AuditRequest>(api.GET("/v1/audit-requests/{audit_request_id}", { params: { path } }), t.online.unreachable),
    [api, params.id],
  );
  const action = useAction();
  const item = request.value;
  async function withdraw() {
    const call = api.POST("/v1/audit-requests/{audit_request_id}/withdraw", { params: { path } });
    if (await action.run(() => need(call, t.online.unreachable))) await request.reload();
  }
  return (
    <>
      <p>
        <a href={paths.audits}>{t.audits.back}</a>
      </p>
      <h1>{item ? t.auditRequests.to(item.worker_email) : t.audits.heading}</h1>
      <OnlineOnlyNote />
      <ErrorMessage>{request.error || action.error}</ErrorMessage>
      {item && <RequestSummary item={item} />}
      {item && (
        <section>
          <h2>{t.audits.responseHeading}</h2>
          <Response item={item} />
        </section>
      )}
      {item?.state === "responded" && <OutcomeForm item={item} onDone={request.reload} />}
      {item && WAITING.includes(item.state) && (
        <button type="button" disabled={action.busy} onClick={withdraw}>
          {t.audits.withdraw}
        </button>
      )}
    </>
  );
}
