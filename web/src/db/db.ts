/**
 * The phone's copy of the worker's record, in IndexedDB. It is the source of truth for the
 * screens: they read from here (so the app works offline) and the sync engine keeps it in
 * step with the server. Each schema change is a new `version()` block below; Dexie upgrades
 * old databases in order, and an `upgrade()` function moves data when a shape changes.
 */
import Dexie, { type EntityTable } from "dexie";
import type { Account, EvidenceOut, Problem } from "../api/client";

/** What the worker writes in an entry: every field, as the server returns them. */
export type EntryContent = Omit<EvidenceOut, "id" | "created_at" | "updated_at" | "version">;

/** An entry as the phone holds it: the content, plus what it knows of the server's copy. */
export interface LocalEntry extends EntryContent {
  id: string;
  /** The server's version (its ETag) this content is based on; null until the server has it. */
  server_version: number | null;
  created_at: string;
  updated_at: string;
}

export type OutboxState = "queued" | "refused" | "conflict";

/** One entry waiting to reach the server. One item per entry: a later edit replaces the content. */
export interface OutboxItem {
  entry_id: string;
  content: EntryContent;
  /** The version the edit is based on (sent as If-Match); null for a new entry. */
  if_match: number | null;
  /** True for a new entry accepting the suggestion with its id (sent as `accepts_suggestion`). */
  accepts_suggestion?: boolean;
  /** Bumped by every local edit, so an answer to an older send cannot drop a newer edit. */
  revision: number;
  queued_at: number;
  state: OutboxState;
  /** The server's refusal, shown to the worker until they fix or discard the change. */
  problem?: Problem;
  /** For a conflict (412): the entry as the server now has it. */
  server_entry?: LocalEntry;
}

export type FileState = "waiting" | "uploading" | "uploaded" | "refused";

/** A file on an entry: kept here until the entry exists on the server, then uploaded. */
export interface LocalFile {
  id: string;
  entry_id: string;
  filename: string;
  media_type: string;
  /** The bytes, until the server has them. */
  blob?: Blob;
  state: FileState;
  added_at: number;
  attachment_id?: string;
  /** The server's (metadata-free) thumbnail, for images. */
  thumbnail?: Blob;
  problem?: Problem;
}

/** Small facts: the sync cursor, the signed-in account, recently used competences. */
export interface MetaRow {
  key: string;
  value: unknown;
}

export interface RecentCompetence {
  id: string;
  code: string;
  title: string;
  framework: string;
  used_at: number;
}

export class CplDatabase extends Dexie {
  entries!: EntityTable<LocalEntry, "id">;
  outbox!: EntityTable<OutboxItem, "entry_id">;
  files!: EntityTable<LocalFile, "id">;
  meta!: EntityTable<MetaRow, "key">;
  recentCompetences!: EntityTable<RecentCompetence, "id">;

  constructor(name = "cpl") {
    super(name);
    this.version(1).stores({
      entries: "id, [occurred_on+created_at], kind, *tags",
      outbox: "entry_id, queued_at, state",
      files: "id, entry_id, state, added_at",
      meta: "key",
      recentCompetences: "id, used_at",
    });
  }
}

export const META = {
  cursor: "sync_cursor",
  account: "account",
  registrations: "registrations",
  roles: "roles",
} as const;

export async function readMeta<T>(db: CplDatabase, key: string): Promise<T | undefined> {
  return (await db.meta.get(key))?.value as T | undefined;
}

export async function writeMeta(db: CplDatabase, key: string, value: unknown): Promise<void> {
  await db.meta.put({ key, value });
}

/** Everything of the worker's, gone: used at sign-out, once nothing unsent is left (or they agreed). */
export async function clearAll(db: CplDatabase): Promise<void> {
  await db.transaction("rw", [db.entries, db.outbox, db.files, db.meta, db.recentCompetences], async () => {
    await Promise.all([db.entries.clear(), db.outbox.clear(), db.files.clear(), db.meta.clear(), db.recentCompetences.clear()]);
  });
}

export type { Account };
