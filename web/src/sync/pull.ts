/**
 * Catching up with `GET /v1/sync?since=<cursor>`: every change to the worker's entries made
 * elsewhere, oldest first. Each page is applied and its cursor stored in one IndexedDB
 * transaction, so the cursor never runs ahead of what the phone holds.
 */
import type { ApiClient, SyncPage } from "../api/client";
import { META, readMeta, type CplDatabase } from "../db/db";
import { entryFromServer } from "./outbox";
import { stopFor, type StepResult } from "./result";

/**
 * An entry with a change still in the outbox keeps the worker's content: sending it will
 * either succeed or meet a 412 and show both versions.
 */
async function applyPage(db: CplDatabase, page: SyncPage): Promise<void> {
  await db.transaction("rw", [db.entries, db.outbox, db.files, db.meta], async () => {
    for (const change of page.changes) {
      if (await db.outbox.get(change.id)) continue;
      if (change.deleted || !change.entry) {
        await db.entries.delete(change.id);
        await db.files.where("entry_id").equals(change.id).delete();
      } else {
        await db.entries.put(entryFromServer(change.entry));
      }
    }
    await db.meta.put({ key: META.cursor, value: page.next_cursor });
  });
}

/**
 * The server no longer keeps deletions as old as our cursor (410, `tombstone_retention`): forget
 * every entry the outbox does not hold and the cursor, so the next page starts from zero.
 */
async function startAgain(db: CplDatabase): Promise<void> {
  await db.transaction("rw", [db.entries, db.outbox, db.files, db.meta], async () => {
    const pending = new Set((await db.outbox.toArray()).map((item) => item.entry_id));
    const stale = (await db.entries.toArray()).map((entry) => entry.id).filter((id) => !pending.has(id));
    await db.entries.bulkDelete(stale);
    await db.files.where("entry_id").anyOf(stale).delete();
    await db.meta.delete(META.cursor);
  });
}

export async function pullChanges(api: ApiClient, db: CplDatabase): Promise<StepResult> {
  try {
    for (;;) {
      const since = await readMeta<string>(db, META.cursor);
      const { data, response } = await api.GET("/v1/sync", { params: { query: since ? { since } : {} } });
      if (response.status === 410 && since) {
        await startAgain(db);
        continue;
      }
      if (!data) return stopFor(response.status);
      await applyPage(db, data);
      if (!data.has_more) return "done";
    }
  } catch (failure) {
    if (failure instanceof TypeError) return "offline";
    throw failure;
  }
}
