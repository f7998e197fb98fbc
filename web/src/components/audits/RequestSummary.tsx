/** What an audit request asks, its state (overdue said in words) and its notes: both sides show it. */
import type { Schemas } from "../../api/client";
import { t } from "../../strings";
import { day } from "../remote/format";

export type AuditRequest = Schemas["AuditRequestOut"];

export function StateBadge({ item }: { item: AuditRequest }) {
  return (
    <>
      <span class="badge">{t.auditRequests.states[item.state] ?? item.state}</span>
      {item.overdue && <span class="badge warning"> {t.auditRequests.overdue}</span>}
    </>
  );
}

export function RequestSummary({ item }: { item: AuditRequest }) {
  const period = t.auditRequests.what(item.register, day(item.period.from ?? ""), day(item.period.to ?? ""));
  return (
    <dl class="facts">
      <dt>{t.auditRequests.from(item.organisation_name, item.organisation_standing)}</dt>
      <dd>{t.auditRequests.asked(item.auditor_name)}</dd>
      <dt>{period}</dt>
      <dd>
        {t.auditRequests.deadline(day(item.deadline))} <StateBadge item={item} />
      </dd>
      {item.message && (
        <>
          <dt>{t.auditRequests.message}</dt>
          <dd class="prose">{item.message}</dd>
        </>
      )}
      {item.worker_note && (
        <>
          <dt>{t.auditRequests.yourNote}</dt>
          <dd class="prose">{item.worker_note}</dd>
        </>
      )}
      {item.outcome_note && (
        <>
          <dt>{t.auditRequests.outcomeNote}</dt>
          <dd class="prose">{item.outcome_note}</dd>
        </>
      )}
    </dl>
  );
}

/** Audit requests as a list named by its heading: each opens at `href`, labelled by `label`. */
export function RequestList(props: {
  items: AuditRequest[];
  headingId: string;
  href: (item: AuditRequest) => string;
  label: (item: AuditRequest) => string;
}) {
  return (
    <ul class="plain-list" aria-labelledby={props.headingId}>
      {props.items.map((item) => (
        <li key={item.id}>
          <a href={props.href(item)}>{props.label(item)}</a>
          <p>
            {t.auditRequests.what(item.register, day(item.period.from ?? ""), day(item.period.to ?? ""))}.{" "}
            {t.auditRequests.deadline(day(item.deadline))} <StateBadge item={item} />
          </p>
        </li>
      ))}
    </ul>
  );
}
