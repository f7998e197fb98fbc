/** Reads the screens make, kept here so each screen stays thin and the indexes stay in view. */
import type { CplDatabase, LocalEntry, OutboxItem } from "./db";

export interface LogFilter {
  text: string;
  kind: string;
  from: string;
  to: string;
  tag: string;
}

export const NO_FILTER: LogFilter = { text: "", kind: "", from: "", to: "", tag: "" };

function matches(entry: LocalEntry, filter: LogFilter, words: string[]): boolean {
  if (filter.kind && entry.kind !== filter.kind) return false;
  if (filter.tag && !(entry.tags ?? []).includes(filter.tag)) return false;
  if (filter.from && entry.occurred_on < filter.from) return false;
  if (filter.to && entry.occurred_on > filter.to) return false;
  if (words.length === 0) return true;
  const reflection = entry.reflection;
  const haystack = [
    entry.title,
    entry.description,
    reflection.what_happened,
    reflection.what_i_learned,
    reflection.how_it_changes_practice,
    ...(entry.tags ?? []),
  ]
    .join(" ")
    .toLocaleLowerCase();
  return words.every((word) => haystack.includes(word));
}

/** Newest first: by date, then by when it was written. */
export function newestFirst(entries: LocalEntry[]): LocalEntry[] {
  const key = (entry: LocalEntry) => `${entry.occurred_on} ${entry.created_at}`;
  return entries.map((entry) => [key(entry), entry] as const).sort(([a], [b]) => (a < b ? 1 : a > b ? -1 : 0)).map(([, entry]) => entry);
}

/**
 * The entries matching the filter, in the order given. The log reads every entry once (one
 * `getAll`, fast even for 5,000) and filters in memory, so typing in the search box never waits
 * on IndexedDB.
 */
export function filterEntries(entries: LocalEntry[], filter: LogFilter): LocalEntry[] {
  const words = filter.text.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  return entries.filter((entry) => matches(entry, filter, words));
}

export async function allTags(db: CplDatabase): Promise<string[]> {
  return (await db.entries.orderBy("tags").uniqueKeys()).map(String);
}

export async function outboxByEntry(db: CplDatabase): Promise<Map<string, OutboxItem>> {
  const items = await db.outbox.toArray();
  return new Map(items.map((item) => [item.entry_id, item]));
}
