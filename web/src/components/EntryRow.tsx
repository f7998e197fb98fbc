/** One entry in the log: title, date, kind, and whether it still has to reach the server. */
import type { LocalEntry, OutboxItem } from "../db/db";
import { paths } from "../routes";
import { kindLabel, t } from "../strings";

function badge(pending: OutboxItem | undefined): string | null {
  if (!pending) return null;
  if (pending.state === "conflict") return t.log.conflict;
  if (pending.state === "refused") return t.log.refused;
  return t.log.notUploaded;
}

export function EntryRow({ entry, pending }: { entry: LocalEntry; pending?: OutboxItem }) {
  const label = badge(pending);
  const href = pending?.state === "conflict" ? paths.conflict(entry.id) : paths.entry(entry.id);
  return (
    <li class="entry-row">
      <a href={href}>
        <span class="entry-title">{entry.title}</span>
        <span class="entry-meta">
          <time dateTime={entry.occurred_on}>{entry.occurred_on}</time> · {kindLabel(entry.kind)}
          {entry.duration_minutes ? ` · ${entry.duration_minutes} min` : ""}
        </span>
        {label && <span class={`badge badge-${pending!.state}`}>{label}</span>}
      </a>
    </li>
  );
}
