/**
 * One export: its state in words (waiting, being made with progress, ready, failed), the
 * download, its public verification page, revoking it, and — once ready — its share links.
 */
import type { Schemas } from "../../api/client";
import { downloadExport } from "../../api/download";
import { need } from "../../api/remote";
import { useApp } from "../../services";
import { t } from "../../strings";
import { ErrorMessage } from "../fields";
import { moment } from "../remote/format";
import { useAction } from "../remote/hooks";
import { ShareLinks } from "./ShareLinks";

type Export = Schemas["ExportOut"];

function State({ item }: { item: Export }) {
  const { done, total } = item.progress;
  return (
    <p aria-live="polite">
      <span class={`badge badge-export-${item.status}`}>{t.exports.states[item.status] ?? item.status}</span>
      {item.revoked_at && <span class="badge badge-refused">{t.exports.revoked}</span>}
      {item.superseded_by && !item.revoked_at && <span class="hint"> {t.exports.superseded}</span>}
      {(item.status === "queued" || item.status === "running") && (
        <>
          <br />
          <progress aria-label={t.exports.progressLabel} max={Math.max(total, 1)} value={done} />{" "}
          {t.exports.progress(done, total)}
        </>
      )}
      {item.status === "done" && <span class="hint"> {t.exports.size(item.size)}</span>}
    </p>
  );
}

export function ExportItem({ item, onChanged }: { item: Export; onChanged: () => Promise<void> }) {
  const { api } = useApp();
  const action = useAction();
  const usable = item.status === "done" && !item.revoked_at;
  const format = t.exports.formats[item.format] ?? item.format;

  async function download() {
    let where = "saved";
    if (await action.run(async () => (where = await downloadExport(api, item.id, t.online.unreachable)))) {
      if (where === "elsewhere") alert(t.exports.downloadS3);
    }
  }

  async function revoke() {
    if (!confirm(t.exports.revokeConfirm)) return;
    const request = api.POST("/v1/exports/{export_id}/revoke", { params: { path: { export_id: item.id } } });
    if (await action.run(() => need(request, t.online.unreachable))) await onChanged();
  }

  return (
    <li class="card">
      <h3>{t.exports.item(format, moment(item.created_at))}</h3>
      <State item={item} />
      {item.status === "failed" && <p class="error">{t.problem(item.error)}</p>}
      <ErrorMessage>{action.error}</ErrorMessage>
      {usable && (
        <div class="actions">
          <button type="button" class="primary" disabled={action.busy} onClick={download}>
            {t.exports.download}
          </button>
          <a href={item.verify_url} rel="noopener noreferrer" target="_blank">
            {t.exports.verifyLink}
          </a>
          <button type="button" disabled={action.busy} onClick={revoke}>
            {t.exports.revoke}
          </button>
        </div>
      )}
      {usable && <ShareLinks exportId={item.id} />}
    </li>
  );
}
