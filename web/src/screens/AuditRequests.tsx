/** The worker's audit requests, newest first, overdue ones marked; each opens to be answered. Online only. */
import { need } from "../api/remote";
import { type AuditRequest, RequestList } from "../components/audits/RequestSummary";
import { ErrorMessage } from "../components/fields";
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
      <RequestList
        items={requests.value ?? []}
        headingId="audit-requests-heading"
        href={(item) => paths.auditRequest(item.id)}
        label={(item) => t.auditRequests.open(item.organisation_name)}
      />
    </>
  );
}
