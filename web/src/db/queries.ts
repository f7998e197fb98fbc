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

export interface LogPage {
  entries: LocalEntry[];
  total: number;
}

/** The log, newest first: the first `limit` entries matching the filter, and how many match. */
export async function logPage(db: CplDatabase, filter: LogFilter, limit: number): Promise<LogPage> {
  const words = filter.text.toLocaleLowerCase().split(/\s+/).filter(Boolean);
  const all = db.entries.orderBy("[occurred_on+created_at]").reverse();
  const matching = all.filter((entry) => matches(entry, filter, words));
  const entries = await matching.clone().limit(limit).toArray();
  const total = await matching.count();
  return { entries, total };
}

export async function allTags(db: CplDatabase): Promise<string[]> {
  return (await db.entries.orderBy("tags").uniqueKeys()).map(String);
}

export async function outboxByEntry(db: CplDatabase): Promise<Map<string, OutboxItem>> {
  const items = await db.outbox.toArray();
  return new Map(items.map((item) => [item.entry_id, item]));
}
