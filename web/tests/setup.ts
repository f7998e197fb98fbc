/** Each test gets its own IndexedDB (fake-indexeddb), its own fake server, and a sync engine joining them. */
import { createApi, type ApiOptions } from "../src/api/client";
import { createUploader } from "../src/api/upload";
import type { EntryContent } from "../src/db/db";
import { CplDatabase } from "../src/db/db";
import { SyncEngine } from "../src/sync/engine";
import { FakeCpl } from "./fakeCpl";

let databases = 0;

export function phoneAndServer() {
  const server = new FakeCpl();
  const options: ApiOptions = { baseUrl: "http://cpl.test", fetch: (request) => server.fetch(request) };
  const db = new CplDatabase(`test-${++databases}`);
  const engine = new SyncEngine(db, createApi(options), createUploader(options));
  return { server, db, engine };
}

export function entryContent(title: string, changes: Partial<EntryContent> = {}): EntryContent {
  return {
    kind: "learning_activity",
    title,
    occurred_on: "2026-11-20",
    ended_on: null,
    duration_minutes: 60,
    participatory: false,
    activity_type: "course",
    description: "",
    reflection: { what_happened: "", what_i_learned: "", how_it_changes_practice: "" },
    tags: [],
    ...changes,
  };
}
