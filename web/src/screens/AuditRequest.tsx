/**
 * One audit request, as the worker answers it: the registration and period pre-selected from the
 * request (the pack's audit period), an export made for it, then sent (`…/answer`), which makes
 * the auditors' share link. Or declined, with a reason. Online only.
 */
import { useRoute } from "preact-iso";
import { need } from "../api/remote";
import { AnswerForm } from "../components/audits/AnswerForm";
import { type AuditRequest, RequestSummary } from "../components/audits/RequestSummary";
import { ErrorMessage } from "../components/fields";
import { useRemote } from "../components/remote/hooks";
import { OnlineOnlyNote } from "../components/remote/OnlineOnly";
import { paths } from "../routes";
import { useApp } from "../services";
import { t } from "../strings";

const WAITING = ["requested", "more_information_needed"];

export function AuditRequestScreen() {
  const { api } = useApp();
  const { params } = useRoute();
  const request = useRemote(
    () =>
      need<AuditRequest>(
        api.GET("/v1/me/audit-requests/{audit_request_id}", { params: { path: { audit_request_id: params.id } } }),
        t.online.unreachable,
      ),
    [api, params.id],
  );
  const item = request.value;
  return (
    <>
      <p>
        <a href={paths.auditRequests}>{t.auditRequests.back}</a>
      </p>
      <h1>{item ? t.auditRequests.from(item.organisation_name, item.organisation_standing) : t.auditRequests.heading}</h1>
      <OnlineOnlyNote />
      <ErrorMessage>{request.error}</ErrorMessage>
      {item && <RequestSummary item={item} />}
      {item && WAITING.includes(item.state) && <AnswerForm item={item} onDone={request.reload} />}
    </>
  );
}
