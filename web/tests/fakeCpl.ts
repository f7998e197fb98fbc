/**
 * A test double of cpl's server for the sync engine: an in-memory implementation of the
 * evidence, sync and attachment routes with the contract's statuses (201/200 replay, 428,
 * 412, 422 naming `entries.N`, all-or-nothing batches, cursor pages), reached through a
 * `fetch` function. It can also drop the network, or lose an answer after doing the work.
 */
type Json = Record<string, any>;

interface StoredEntry extends Json {
  id: string;
  version: number;
  deleted: boolean;
  seq: number;
}

class Refusal {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly errors?: { field: string; message: string }[],
  ) {}
}

const CONTENT_FIELDS = [
  "kind",
  "title",
  "occurred_on",
  "ended_on",
  "duration_minutes",
  "participatory",
  "activity_type",
  "description",
  "reflection",
  "tags",
];

function content(body: Json): Json {
  const defaults: Json = {
    ended_on: null,
    duration_minutes: 0,
    participatory: false,
    activity_type: "other",
    description: "",
    reflection: { what_happened: "", what_i_learned: "", how_it_changes_practice: "" },
    tags: [],
  };
  return Object.fromEntries(CONTENT_FIELDS.map((field) => [field, body[field] ?? defaults[field]]));
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  const type = status >= 400 ? "application/problem+json" : "application/json";
  return new Response(JSON.stringify(body), { status, headers: { "content-type": type, ...headers } });
}

const TOO_LARGE = Symbol("too large");

export interface LoggedRequest {
  method: string;
  path: string;
  ifMatch: string | null;
  body: unknown;
}

export class FakeCpl {
  readonly entries = new Map<string, StoredEntry>();
  readonly attachments: { id: string; entry_id: string; filename: string; bytes: number }[] = [];
  readonly log: LoggedRequest[] = [];
  private seq = 0;
  /** The next N requests are carried out, but their answers never reach the phone. */
  loseAnswers = 0;
  /** While true, requests fail before reaching the server. */
  offline = false;
  syncPageSize = 100;
  /** The next sync page carries a change the phone cannot store (an entry without an id). */
  corruptNextSyncPage = false;
  signedIn = true;
  /** cpl's default CPL_MAX_JSON_BODY_BYTES: a larger JSON body is refused with 413, naming no entry. */
  maxJsonBytes = 1_048_576;

  fetch = async (request: Request): Promise<Response> => {
    if (this.offline) throw new TypeError("Failed to fetch");
    const url = new URL(request.url);
    const body = request.method === "GET" ? null : await this.readBody(request);
    this.log.push({ method: request.method, path: url.pathname, ifMatch: request.headers.get("if-match"), body });
    const response = this.signedIn ? this.route(request.method, url, request.headers, body) : json(401, { title: "Not signed in", status: 401 });
    if (this.loseAnswers > 0) {
      this.loseAnswers -= 1;
      throw new TypeError("Failed to fetch");
    }
    return response;
  };

  /** Another device of the same worker changes an entry. */
  editElsewhere(id: string, changes: Json): void {
    const stored = this.entries.get(id)!;
    this.store({ ...stored, ...changes, version: stored.version + 1 });
  }

  createElsewhere(id: string, title: string): void {
    this.store({ id, ...content({ kind: "learning_activity", title, occurred_on: "2026-11-01" }), version: 1, created_at: "2026-11-01T10:00:00Z" });
  }

  requests(method: string, pathStart: string): LoggedRequest[] {
    return this.log.filter((entry) => entry.method === method && entry.path.startsWith(pathStart));
  }

  private async readBody(request: Request): Promise<unknown> {
    if ((request.headers.get("content-type") ?? "").includes("json")) {
      const bytes = await request.arrayBuffer();
      return bytes.byteLength > this.maxJsonBytes ? TOO_LARGE : JSON.parse(new TextDecoder().decode(bytes));
    }
    return (await request.arrayBuffer()).byteLength;
  }

  private route(method: string, url: URL, headers: Headers, body: unknown): Response {
    const path = url.pathname;
    if (body === TOO_LARGE) return json(413, { title: "Too large", status: 413, detail: "The request body is too large." });
    try {
      let match: RegExpMatchArray | null;
      if (method === "POST" && path === "/v1/evidence/batch") return this.batch(body as Json);
      if (method === "GET" && path === "/v1/sync") return this.sync(url.searchParams.get("since"));
      if ((match = path.match(/^\/v1\/evidence\/([^/]+)$/))) {
        if (method === "PUT") return this.put(match[1], body as Json, this.parseIfMatch(headers.get("if-match")));
        if (method === "GET") return this.get(match[1]);
      }
      if (method === "POST" && (match = path.match(/^\/v1\/evidence\/([^/]+)\/attachments$/))) {
        return this.attach(match[1], url.searchParams.get("filename") ?? "file", body as number);
      }
      if (method === "GET" && (match = path.match(/^\/v1\/attachments\/([^/]+)\/thumbnail$/))) {
        return new Response(new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: "image/jpeg" }), { status: 200 });
      }
      return json(404, { title: "Not found", status: 404, detail: `${method} ${path}` });
    } catch (error) {
      if (error instanceof Refusal) {
        return json(error.status, { title: "Refused", status: error.status, detail: error.detail, errors: error.errors });
      }
      throw error;
    }
  }

  private parseIfMatch(value: string | null): number | null {
    return value ? Number(value.replaceAll('"', "")) : null;
  }

  private store(entry: Json): StoredEntry {
    this.seq += 1;
    const now = new Date(Date.UTC(2026, 11, 1, 0, 0, this.seq)).toISOString();
    const stored: StoredEntry = { created_at: now, id: entry.id, version: entry.version, ...entry, updated_at: now, deleted: false, seq: this.seq };
    this.entries.set(stored.id, stored);
    return stored;
  }

  private validate(body: Json, field: string): void {
    if (!body.title) throw new Refusal(422, "Some fields are invalid; see `errors`.", [{ field: `${field}title`, message: "String should have at least 1 character" }]);
  }

  /** One PUT's rules: create, replay (same content), or change with the right If-Match. */
  private save(id: string, body: Json, ifMatch: number | null): [number, StoredEntry] {
    const existing = this.entries.get(id);
    const wanted = content(body);
    if (!existing) return [201, this.store({ id, ...wanted, version: 1 })];
    if (JSON.stringify(content(existing)) === JSON.stringify(wanted)) return [200, existing];
    if (ifMatch === null) throw new Refusal(428, "Send If-Match with the entry's ETag to change it.");
    if (ifMatch !== existing.version) {
      throw new Refusal(412, `The entry has changed since version ${ifMatch}; it is now at version ${existing.version}.`);
    }
    return [200, this.store({ ...existing, ...wanted, version: existing.version + 1 })];
  }

  private out(entry: StoredEntry): Json {
    const { deleted: _deleted, seq: _seq, ...visible } = entry;
    return visible;
  }

  private put(id: string, body: Json, ifMatch: number | null): Response {
    this.validate(body, "");
    const [status, stored] = this.save(id, body, ifMatch);
    return json(status, this.out(stored), { etag: `"${stored.version}"` });
  }

  private get(id: string): Response {
    const stored = this.entries.get(id);
    if (!stored) return json(404, { title: "Not found", status: 404 });
    return json(200, this.out(stored), { etag: `"${stored.version}"` });
  }

  /** All or nothing: on a refusal nothing stays changed, and the refusal names the item. */
  private batch(body: Json): Response {
    const items = body.entries as Json[];
    items.forEach((item, position) => this.validate(item, `entries.${position}.`));
    const before = new Map(this.entries);
    const seqBefore = this.seq;
    const results = [];
    for (const [position, item] of items.entries()) {
      try {
        const [status, stored] = this.save(item.id, item, item.if_match ?? null);
        results.push({ id: item.id, outcome: status === 201 ? "created" : "updated", entry: this.out(stored) });
      } catch (error) {
        this.entries.clear();
        before.forEach((value, key) => this.entries.set(key, value));
        this.seq = seqBefore;
        const refusal = error as Refusal;
        const detail = `entries[${position}] (${item.id}): ${refusal.detail}`;
        throw new Refusal(refusal.status, detail, [{ field: `entries.${position}`, message: detail }]);
      }
    }
    return json(200, { results });
  }

  private sync(since: string | null): Response {
    const after = Number(since ?? 0);
    const changed = [...this.entries.values()].filter((entry) => entry.seq > after).sort((a, b) => a.seq - b.seq);
    const page = changed.slice(0, this.syncPageSize);
    const changes = page.map((entry) => ({ id: entry.id, version: entry.version, deleted: entry.deleted, entry: entry.deleted ? null : this.out(entry) }));
    if (this.corruptNextSyncPage && changes.length > 0) {
      this.corruptNextSyncPage = false;
      changes.push({ id: "broken", version: 1, deleted: false, entry: { title: "no id" } });
    }
    const last = page.length ? page[page.length - 1].seq : after;
    return json(200, { changes, next_cursor: String(last), has_more: changed.length > page.length });
  }

  private attach(entryId: string, filename: string, bytes: number): Response {
    if (!this.entries.has(entryId)) return json(404, { title: "Not found", status: 404, detail: "No such entry." });
    const id = `att-${this.attachments.length + 1}`;
    this.attachments.push({ id, entry_id: entryId, filename, bytes });
    return json(201, {
      id,
      entry_ids: [entryId],
      filename,
      media_type: "image/jpeg",
      size: bytes,
      stored_size: bytes,
      sha256: "0".repeat(64),
      width: 10,
      height: 10,
      created_at: "2026-12-01T00:00:00Z",
      content_url: `/v1/attachments/${id}/content`,
      thumbnail_url: `/v1/attachments/${id}/thumbnail`,
    });
  }
}
