/** An entry read-only, field by field (the conflict screen shows two of these side by side). */
import type { LocalEntry } from "../db/db";
import { kindLabel, t } from "../strings";

/** The fields shown: a local entry, or an entry as the API answers it (a shared one under review). */
type Shown = Pick<
  LocalEntry,
  "title" | "kind" | "occurred_on" | "ended_on" | "duration_minutes" | "activity_type" | "description" | "tags"
> & { reflection: Partial<Record<"what_happened" | "what_i_learned" | "how_it_changes_practice", string | null>> };

export function EntrySummary({ heading, entry }: { heading: string; entry: Shown }) {
  const reflection = entry.reflection;
  const rows: [string, string][] = [
    [t.editor.title, entry.title],
    [t.editor.kind, kindLabel(entry.kind)],
    [t.editor.date, entry.ended_on ? `${entry.occurred_on} – ${entry.ended_on}` : entry.occurred_on],
    [t.editor.duration, String(entry.duration_minutes ?? 0)],
    [t.editor.activityType, t.activityTypes[entry.activity_type ?? "other"] ?? String(entry.activity_type)],
    [t.editor.description, entry.description ?? ""],
    [t.editor.whatHappened, reflection.what_happened ?? ""],
    [t.editor.whatLearned, reflection.what_i_learned ?? ""],
    [t.editor.howChanges, reflection.how_it_changes_practice ?? ""],
    [t.editor.tags, (entry.tags ?? []).join(", ")],
  ];
  return (
    <section class="summary">
      <h2>{heading}</h2>
      <dl>
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
