/** The auditor's screen: send an audit request, and every request of their regulators with its state. Online only. */
import type { Schemas } from "../api/client";
import { need } from "../api/remote";
import { NewRequestForm } from "../components/audits/NewRequestForm";
import { type AuditRequest, RequestList } from "../components/audits/RequestSummary";
import { ErrorMessage } from "../components/fields";
import { useRemote } from "../components/remote/hooks";
import { OnlineOnlyNote } from "../components/remote/OnlineOnly";
import { paths } from "../routes";
import { useApp } from "../services";
import { t } from "../strings";

type Organisation = Schemas["OrganisationOut"];

export function AuditsScreen() {
  const { api } = useApp();
  const organisations = useRemote(
    () => need<Organisation[]>(api.GET("/v1/organisations"), t.online.unreachable),
    [api],
  );
  const requests = useRemote(() => need<AuditRequest[]>(api.GET("/v1/audit-requests"), t.online.unreachable), [api]);
  const regulators = (organisations.value ?? []).filter(
    (row) => row.kind === "regulator" && row.my_roles.includes("auditor"),
  );
  return (
    <>
      <h1>{t.audits.heading}</h1>
      <p>{t.audits.intro}</p>
      <OnlineOnlyNote />
      <ErrorMessage>{organisations.error || requests.error}</ErrorMessage>
      {organisations.value && regulators.length === 0 && <p>{t.audits.notAuditor}</p>}
      {regulators.length > 0 && <NewRequestForm regulators={regulators} onSent={() => void requests.reload()} />}
      <h2 id="audits-list-heading">{t.auditRequests.heading}</h2>
      {requests.value?.length === 0 && <p>{t.auditRequests.none}</p>}
      <RequestList
        items={requests.value ?? []}
        headingId="audits-list-heading"
        href={(item) => paths.audit(item.id)}
        label={(item) => t.auditRequests.to(item.worker_email)}
      />
    </>
  );
}
