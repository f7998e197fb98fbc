/**
 * Whose data is on this phone. Signing out empties IndexedDB (the caller first asks the worker
 * if anything is unsent); signing in as someone else than the last account does the same, so
 * one worker's unsent entries can never be uploaded into another's record.
 */
import type { Account } from "../api/client";
import { clearAll, META, readMeta, writeMeta, type CplDatabase } from "../db/db";
import { outboxCounts } from "./outbox";

export interface StoredSession {
  account: Account;
  roles: string[];
}

/** How many changes would be lost by clearing the phone now. */
export async function unsentCount(db: CplDatabase): Promise<number> {
  const counts = await outboxCounts(db);
  return counts.waiting + counts.needsAttention;
}

/** The account whose data the phone holds, if it is another than `account`. */
export async function otherAccountOnPhone(db: CplDatabase, account: Account): Promise<Account | null> {
  const stored = await readMeta<StoredSession>(db, META.account);
  return stored && stored.account.id !== account.id ? stored.account : null;
}

export async function rememberSession(db: CplDatabase, session: StoredSession): Promise<void> {
  await writeMeta(db, META.account, session);
}

export async function forgetEverything(db: CplDatabase): Promise<void> {
  await clearAll(db);
}
