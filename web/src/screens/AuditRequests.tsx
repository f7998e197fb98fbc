/** The worker's audit requests, newest first, overdue ones marked; each opens to be answered. Online only. */
import { need } from "../api/remote";
import { type AuditRequest, StateBadge } from "../components/audits/RequestSummary";
import { ErrorMessage } from "../components/fields";
import { day } from "../components/remote/format";
import { useRemote } from "../components/remote/hooks";
import { OnlineOnlyNote } from "../components/remote/OnlineOnly";
import { paths } from "../routes";
import { useApp } from "../services";
import { t } from "../strings";

export function AuditRequestsScreen() {
  const { api } = useApp();
  const requests = useRemote(
    () => need<AuditRequest[]>(api.GET("/v1/me/audit-requests"), t.online.unreachable),
    [api],
  );
  return (
    <>
      <h1 id="audit-requests-heading">{t.auditRequests.heading}</h1>
      <p>{t.auditRequests.intro}</p>
      <OnlineOnlyNote />
      <ErrorMessage>{requests.error}</ErrorMessage>
      {requests.value?.length === 0 && <p>{t.auditRequests.none}</p>}
      <ul class="plain-list" aria-labelledby="audit-requests-heading">
        {(requests.value ?? []).map((item) => (
          <li key={item.id}>
            <a href={paths.auditRequest(item.id)}>{t.auditRequests.open(item.organisation_name)}</a>
            <p>
              {t.auditRequests.what(item.register, day(item.period.from ?? ""), day(item.period.to ?? ""))}.{" "}
              {t.auditRequests.deadline(day(item.deadline))} <StateBadge item={item} />
            </p>
          </li>
        ))}
      </ul>
    </>
  );
}
