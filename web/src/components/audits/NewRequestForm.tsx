/** The auditor's new audit request: regulator, the worker's address, register, period, deadline, message. */
import { useEffect, useState } from "preact/hooks";
import type { Schemas } from "../../api/client";
import { need } from "../../api/remote";
import { useApp } from "../../services";
import { t } from "../../strings";
import { ErrorMessage, Select, TextArea, TextField } from "../fields";
import { useAction } from "../remote/hooks";
import type { AuditRequest } from "./RequestSummary";

type Organisation = Schemas["OrganisationOut"];

const REGISTERS = ["hcpc", "nmc", "swe", "sssc", "coru"];

export function NewRequestForm({ regulators, onSent }: { regulators: Organisation[]; onSent: () => void }) {
  const { api } = useApp();
  const [organisation, setOrganisation] = useState("");
  const [email, setEmail] = useState("");
  const [register, setRegister] = useState(REGISTERS[0]);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [deadline, setDeadline] = useState("");
  const [message, setMessage] = useState("");
  const [sent, setSent] = useState("");
  const action = useAction();
  useEffect(() => {
    if (!organisation && regulators.length) setOrganisation(regulators[0].id);
  }, [regulators.length]);

  async function send(event: Event) {
    event.preventDefault();
    const body = { organisation_id: organisation, email, register, period: { from, to }, deadline, message };
    const request = api.POST("/v1/audit-requests", { body });
    const done = await action.run(async () => {
      const made = await need<AuditRequest>(request, t.online.unreachable);
      setSent(t.audits.sent(made.worker_email));
    });
    if (!done) return;
    setEmail("");
    setMessage("");
    onSent();
  }

  return (
    <form onSubmit={send} class="panel">
      <h2>{t.audits.newHeading}</h2>
      {regulators.length > 1 && (
        <Select
          id="audit-organisation"
          label={t.audits.organisation}
          value={organisation}
          onChange={setOrganisation}
          options={regulators.map((row): [string, string] => [row.id, row.name])}
        />
      )}
      <TextField id="audit-email" type="email" label={t.audits.email} value={email} onInput={setEmail} required />
      <Select
        id="audit-register"
        label={t.audits.register}
        value={register}
        onChange={setRegister}
        options={REGISTERS.map((key): [string, string] => [key, key.toUpperCase()])}
      />
      <div class="field-row">
        <TextField id="audit-from" type="date" label={t.audits.from} value={from} onInput={setFrom} required />
        <TextField id="audit-to" type="date" label={t.audits.to} value={to} onInput={setTo} required />
      </div>
      <TextField id="audit-deadline" type="date" label={t.audits.deadline} value={deadline} onInput={setDeadline} required />
      <TextArea id="audit-message" label={t.audits.message} value={message} onInput={setMessage} />
      <p role="status">{sent}</p>
      <ErrorMessage>{action.error}</ErrorMessage>
      <button type="submit" class="primary" disabled={action.busy || !organisation}>
        {t.audits.send}
      </button>
    </form>
  );
}
