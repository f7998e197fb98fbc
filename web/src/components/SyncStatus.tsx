/**
 * The one live region saying where the worker's changes are: "3 waiting to upload",
 * "All changes saved", or what needs their attention. Screen readers hear each change.
 */
import { outboxCounts } from "../sync/outbox";
import { useApp } from "../services";
import { t } from "../strings";
import { useLive } from "./useLive";

export function SyncStatus() {
  const { db } = useApp();
  const counts = useLive(() => outboxCounts(db), [db]);
  const parts: string[] = [];
  if (counts) {
    if (counts.waiting > 0) parts.push(t.status.waiting(counts.waiting));
    if (counts.needsAttention > 0) parts.push(t.status.attention(counts.needsAttention));
    if (parts.length === 0) parts.push(t.status.saved);
  }
  return (
    <p class="sync-status" role="status">
      {parts.join(". ")}
    </p>
  );
}
