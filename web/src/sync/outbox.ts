/**
 * Writing on the phone. Every save lands in IndexedDB first (the worker's copy) and queues
 * the entry in the outbox; the sync engine sends it later. Nothing leaves the outbox except
 * by reaching the server, or by the worker choosing to discard or resolve it.
 */
import type { EntryIn, EvidenceContent, EvidenceOut } from "../api/client";
import type { CplDatabase, EntryContent, LocalEntry, OutboxItem } from "../db/db";

export function newEntryId(): string {
  return crypto.randomUUID();
}

/** Later than every queued item, even for saves within one millisecond: the outbox is sent in this order. */
async function nextQueuePosition(db: CplDatabase): Promise<number> {
  const last = await db.outbox.orderBy("queued_at").last();
  return Math.max(Date.now(), (last?.queued_at ?? 0) + 1);
}

/**
 * Save an entry locally and queue it. A second save before upload replaces the queued content.
 * `acceptsSuggestion`: the entry accepts the suggestion with its id (kept until the upload).
 */
export async function saveEntry(
  db: CplDatabase,
  id: string,
  content: EntryContent,
  acceptsSuggestion = false,
): Promise<void> {
  await db.transaction("rw", db.entries, db.outbox, async () => {
    const existing = await db.entries.get(id);
    const queued = await db.outbox.get(id);
    const now = new Date().toISOString();
    await db.entries.put({
      ...content,
      id,
      server_version: existing?.server_version ?? null,
      created_at: existing?.created_at ?? now,
      updated_at: now,
    });
    await db.outbox.put({
      entry_id: id,
      content,
      if_match: queued ? queued.if_match : (existing?.server_version ?? null),
      revision: (queued?.revision ?? 0) + 1,
      queued_at: queued?.queued_at ?? (await nextQueuePosition(db)),
      state: queued?.state === "conflict" ? "conflict" : "queued",
      server_entry: queued?.server_entry,
      ...(acceptsSuggestion || queued?.accepts_suggestion ? { accepts_suggestion: true } : {}),
    });
  });
}

/** The server's copy of an entry, as the phone stores it. */
export function entryFromServer(entry: EvidenceOut): LocalEntry {
  const { version, ...content } = entry;
  return { ...content, server_version: version };
}

/**
 * What `PUT` and a batch item send of a queued entry: its content (the API's own type: activity
 * types are an enumeration there), and whether it accepts a suggestion.
 */
export function entryBody(item: OutboxItem): EntryIn {
  const content = item.content as EvidenceContent;
  return { ...content, accepts_suggestion: item.accepts_suggestion === true };
}

/** One item the server accepted, with the entry as the server now holds it. */
export interface Accepted {
  sent: OutboxItem;
  stored: LocalEntry;
}

/**
 * The server accepted these items, recorded in one transaction (a batch of 100 is one change
 * for the screens' live queries, not 100). If the worker edited an entry while it was on its
 * way, the newer edit stays queued, now based on the version just created.
 */
export async function settle(db: CplDatabase, accepted: Accepted[]): Promise<void> {
  await db.transaction("rw", db.entries, db.outbox, async () => {
    for (const { sent, stored } of accepted) {
      const current = await db.outbox.get(sent.entry_id);
      if (current && current.revision !== sent.revision) {
        await db.outbox.update(sent.entry_id, { if_match: stored.server_version });
        await db.entries.update(sent.entry_id, { server_version: stored.server_version });
        continue;
      }
      await db.outbox.delete(sent.entry_id);
      await db.entries.put(stored);
    }
  });
}

/** 412: the entry changed on another device. Both versions are kept until the worker chooses. */
export async function keepMine(db: CplDatabase, entryId: string): Promise<void> {
  const item = await db.outbox.get(entryId);
  if (!item?.server_entry) return;
  await db.outbox.update(entryId, {
    state: "queued",
    if_match: item.server_entry.server_version,
    server_entry: undefined,
    problem: undefined,
  });
}

export async function keepServers(db: CplDatabase, entryId: string): Promise<void> {
  await db.transaction("rw", db.entries, db.outbox, async () => {
    const item = await db.outbox.get(entryId);
    if (!item?.server_entry) return;
    await db.entries.put(item.server_entry);
    await db.outbox.delete(entryId);
  });
}

/**
 * Give up a refused change. A new entry that never reached the server goes (with its files);
 * an edit goes back to the server's copy, which the caller fetched.
 */
export async function discardChange(db: CplDatabase, entryId: string, serverCopy: LocalEntry | null): Promise<void> {
  await db.transaction("rw", db.entries, db.outbox, db.files, async () => {
    await db.outbox.delete(entryId);
    if (serverCopy) {
      await db.entries.put(serverCopy);
    } else {
      await db.entries.delete(entryId);
      await db.files.where("entry_id").equals(entryId).delete();
    }
  });
}

export interface OutboxCounts {
  /** Entries and files still to send. */
  waiting: number;
  /** Refused items and conflicts: the worker must act. */
  needsAttention: number;
}

export async function outboxCounts(db: CplDatabase): Promise<OutboxCounts> {
  const [queued, refused, conflicts, files, badFiles] = await Promise.all([
    db.outbox.where("state").equals("queued").count(),
    db.outbox.where("state").equals("refused").count(),
    db.outbox.where("state").equals("conflict").count(),
    db.files.where("state").anyOf("waiting", "uploading").count(),
    db.files.where("state").equals("refused").count(),
  ]);
  return { waiting: queued + files, needsAttention: refused + conflicts + badFiles };
}
