/**
 * Sending the outbox: one queued entry with `PUT /v1/evidence/{id}`, more in batches of up to
 * 100 with `POST /v1/evidence/batch` (all or nothing; a refusal names the item). Both are
 * idempotent on the server, so a request whose answer was lost is simply sent again.
 */
import { asProblem, type ApiClient, type EvidenceOut, type Problem } from "../api/client";
import type { CplDatabase, OutboxItem } from "../db/db";
import { type Accepted, entryBody, entryFromServer, settle } from "./outbox";
import { isTransient, stopFor, type StepResult } from "./result";

export const BATCH_LIMIT = 100;
/** Below cpl's default 1 MiB limit on JSON bodies (CPL_MAX_JSON_BODY_BYTES), with room for the envelope. */
export const BATCH_BYTES = 900_000;

function ifMatchHeader(version: number | null) {
  return version === null ? undefined : { "If-Match": `"${version}"` };
}

async function markRefused(db: CplDatabase, item: OutboxItem, problem: Problem): Promise<void> {
  await db.outbox.update(item.entry_id, { state: "refused", problem });
}

/** The server's copy now, or the answer's status when it cannot be had. */
async function fetchServerCopy(api: ApiClient, entryId: string): Promise<EvidenceOut | number> {
  const { data, response } = await api.GET("/v1/evidence/{entry_id}", { params: { path: { entry_id: entryId } } });
  return data ?? response.status;
}

/** 412: keep both versions for the conflict screen. */
async function markConflict(api: ApiClient, db: CplDatabase, item: OutboxItem, problem: Problem): Promise<StepResult> {
  const server = await fetchServerCopy(api, item.entry_id);
  if (typeof server === "number") {
    if (isTransient(server) || server === 401) return stopFor(server);
    await markRefused(db, item, problem);
    return "done";
  }
  await db.outbox.update(item.entry_id, { state: "conflict", server_entry: entryFromServer(server), problem });
  return "done";
}

/**
 * 428 on an item sent as new: an earlier send of it reached the server but its answer was
 * lost, and the worker edited it since. The server's copy is ours, so the edit is based on it.
 */
async function rebaseOnOwnCreate(api: ApiClient, db: CplDatabase, item: OutboxItem): Promise<StepResult | OutboxItem> {
  const server = await fetchServerCopy(api, item.entry_id);
  if (typeof server === "number") return isTransient(server) || server === 401 ? stopFor(server) : "done";
  await db.outbox.update(item.entry_id, { if_match: server.version });
  return { ...item, if_match: server.version };
}

/** What to do with one item the server refused (4xx). */
async function handleRefusal(api: ApiClient, db: CplDatabase, item: OutboxItem, problem: Problem): Promise<StepResult> {
  if (problem.status === 412) return markConflict(api, db, item, problem);
  if (problem.status === 428 && item.if_match === null) {
    const rebased = await rebaseOnOwnCreate(api, db, item);
    return typeof rebased === "string" ? rebased : sendOne(api, db, rebased);
  }
  await markRefused(db, item, problem);
  return "done";
}

export async function sendOne(api: ApiClient, db: CplDatabase, item: OutboxItem): Promise<StepResult> {
  const { data, error, response } = await api.PUT("/v1/evidence/{entry_id}", {
    params: { path: { entry_id: item.entry_id }, header: ifMatchHeader(item.if_match) },
    body: entryBody(item),
  });
  if (data) {
    await settle(db, [{ sent: item, stored: entryFromServer(data) }]);
    return "done";
  }
  if (response.status === 401 || isTransient(response.status)) return stopFor(response.status);
  return handleRefusal(api, db, item, asProblem(error, response.status));
}

/** `entries[3] …` / `entries.3` in a batch refusal → 3. */
export function refusedPosition(problem: Problem): number | null {
  const texts = [problem.detail ?? "", ...(problem.errors ?? []).map((error) => error.field)];
  for (const text of texts) {
    const match = text.match(/entries[.[](\d+)/);
    if (match) return Number(match[1]);
  }
  return null;
}

async function sendBatch(api: ApiClient, db: CplDatabase, items: OutboxItem[]): Promise<StepResult> {
  const entries = items.map(batchItem);
  const { data, error, response } = await api.POST("/v1/evidence/batch", { body: { entries } });
  if (data) {
    const byId = new Map(items.map((item) => [item.entry_id, item]));
    const accepted: Accepted[] = [];
    for (const result of data.results) {
      const sent = byId.get(result.id);
      if (sent) accepted.push({ sent, stored: entryFromServer(result.entry) });
    }
    await settle(db, accepted);
    return "done";
  }
  if (response.status === 401 || isTransient(response.status)) return stopFor(response.status);
  const problem = asProblem(error, response.status);
  const position = refusedPosition(problem);
  if (position === null || !items[position]) return sendEachAlone(api, db, items);
  const outcome = await handleRefusal(api, db, items[position], problem);
  if (outcome !== "done") return outcome;
  return sendQueue(api, db, items.filter((_, index) => index !== position));
}

/** A refusal that names no item: send each alone, so each gets its own answer. */
async function sendEachAlone(api: ApiClient, db: CplDatabase, items: OutboxItem[]): Promise<StepResult> {
  for (const item of items) {
    const outcome = await sendOne(api, db, item);
    if (outcome !== "done") return outcome;
  }
  return "done";
}

function batchItem(item: OutboxItem) {
  return { ...entryBody(item), id: item.entry_id, if_match: item.if_match };
}

/** The queue cut into batches of at most 100 entries and about 900 KB, in order. */
export function batches(items: OutboxItem[]): OutboxItem[][] {
  const encoder = new TextEncoder();
  const cut: OutboxItem[][] = [];
  let current: OutboxItem[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = encoder.encode(JSON.stringify(batchItem(item))).length + 1;
    if (current.length > 0 && (current.length === BATCH_LIMIT || bytes + size > BATCH_BYTES)) {
      cut.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) cut.push(current);
  return cut;
}

async function sendQueue(api: ApiClient, db: CplDatabase, items: OutboxItem[]): Promise<StepResult> {
  if (items.length === 0) return "done";
  if (items.length === 1) return sendOne(api, db, items[0]);
  for (const batch of batches(items)) {
    const outcome = batch.length === 1 ? await sendOne(api, db, batch[0]) : await sendBatch(api, db, batch);
    if (outcome !== "done") return outcome;
  }
  return "done";
}

/** Send every queued item, oldest first. Network failures surface as "offline". */
export async function pushOutbox(api: ApiClient, db: CplDatabase): Promise<StepResult> {
  const queued = await db.outbox.where("state").equals("queued").sortBy("queued_at");
  try {
    return await sendQueue(api, db, queued);
  } catch (failure) {
    if (failure instanceof TypeError) return "offline";
    throw failure;
  }
}
