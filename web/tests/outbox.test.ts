import { describe, expect, it } from "vitest";
import { keepMine, keepServers, newEntryId, outboxCounts, saveEntry } from "../src/sync/outbox";
import { accept } from "../src/components/suggestions/accept";
import { entryContent, phoneAndServer } from "./setup";

describe("sending the outbox", () => {
  it("replays an entry whose answer was lost, and the server keeps one copy", async () => {
    const { server, db, engine } = phoneAndServer();
    const id = newEntryId();
    await saveEntry(db, id, entryContent("Moving and handling refresher"));
    server.loseAnswers = 1;

    expect(await engine.sync()).toBe("offline");
    expect(server.entries.size).toBe(1);
    expect(await outboxCounts(db)).toEqual({ waiting: 1, needsAttention: 0 });

    expect(await engine.sync()).toBe("done");
    expect(server.requests("PUT", "/v1/evidence/").length).toBe(2);
    expect(server.entries.size).toBe(1);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.entries.get(id))?.server_version).toBe(1);
  });

  it("an entry edited after its lost answer is sent as an edit of the copy that arrived", async () => {
    const { server, db, engine } = phoneAndServer();
    const id = newEntryId();
    await saveEntry(db, id, entryContent("First title"));
    server.loseAnswers = 1;
    await engine.sync();
    await saveEntry(db, id, entryContent("Second title"));

    expect(await engine.sync()).toBe("done");
    expect(server.entries.size).toBe(1);
    expect(server.entries.get(id)).toMatchObject({ title: "Second title", version: 2 });
    expect(server.requests("PUT", "/v1/evidence/").at(-1)?.ifMatch).toBe('"1"');
    expect(await db.outbox.count()).toBe(0);
  });

  it("keeps an edit made while the previous save was on its way, based on the new version", async () => {
    const { server, db, engine } = phoneAndServer();
    const id = newEntryId();
    await saveEntry(db, id, entryContent("Sent"));
    const answer = server.fetch;
    server.fetch = async (request) => {
      const response = await answer(request);
      if (request.method === "PUT") await saveEntry(db, id, entryContent("Typed while sending"));
      return response;
    };
    expect(await engine.sync()).toBe("done");
    expect(await db.outbox.get(id)).toMatchObject({ state: "queued", if_match: 1 });
    expect((await db.entries.get(id))?.title).toBe("Typed while sending");

    server.fetch = answer;
    expect(await engine.sync()).toBe("done");
    expect(server.entries.get(id)).toMatchObject({ title: "Typed while sending", version: 2 });
    expect(await db.outbox.count()).toBe(0);
  });

  it("sends a queue in one batch, and a replayed batch duplicates nothing", async () => {
    const { server, db, engine } = phoneAndServer();
    for (const title of ["One", "Two", "Three"]) await saveEntry(db, newEntryId(), entryContent(title));
    server.loseAnswers = 1;

    expect(await engine.sync()).toBe("offline");
    expect(await engine.sync()).toBe("done");
    expect(server.requests("POST", "/v1/evidence/batch").length).toBe(2);
    expect(server.entries.size).toBe(3);
    expect(await outboxCounts(db)).toEqual({ waiting: 0, needsAttention: 0 });
  });

  it("splits more than 100 queued entries into batches of at most 100", async () => {
    const { server, db, engine } = phoneAndServer();
    for (let n = 0; n < 150; n++) await saveEntry(db, newEntryId(), entryContent(`Entry ${n}`));

    expect(await engine.sync()).toBe("done");
    const sizes = server.requests("POST", "/v1/evidence/batch").map((request) => (request.body as { entries: unknown[] }).entries.length);
    expect(sizes).toEqual([100, 50]);
    expect(server.entries.size).toBe(150);
  }, 60_000);

  it("keeps each batch under the server's 1 MiB limit on JSON bodies", async () => {
    const { server, db, engine } = phoneAndServer();
    const long = "A long reflection. ".repeat(1000);
    const reflection = { what_happened: long, what_i_learned: long, how_it_changes_practice: long };
    for (let n = 0; n < 30; n++) await saveEntry(db, newEntryId(), entryContent(`Long ${n}`, { description: long, reflection }));

    expect(await engine.sync()).toBe("done");
    expect(server.log.filter((request) => typeof request.body === "symbol")).toEqual([]);
    expect(server.requests("POST", "/v1/evidence/batch").length).toBeGreaterThan(1);
    expect(server.entries.size).toBe(30);
    expect(await db.outbox.count()).toBe(0);
  }, 60_000);

  it("sends each entry alone when a batch is refused without naming one", async () => {
    const { server, db, engine } = phoneAndServer();
    server.maxJsonBytes = 1_500;
    const ids = [newEntryId(), newEntryId()];
    for (const id of ids) await saveEntry(db, id, entryContent("Fits alone", { description: "x".repeat(600) }));

    expect(await engine.sync()).toBe("done");
    expect(server.requests("POST", "/v1/evidence/batch").length).toBe(1);
    expect(server.requests("PUT", "/v1/evidence/").length).toBe(2);
    expect([...server.entries.keys()].sort()).toEqual([...ids].sort());
  });

  it("stops at a 401 and keeps the queue for after the next sign-in", async () => {
    const { server, db, engine } = phoneAndServer();
    server.signedIn = false;
    await saveEntry(db, newEntryId(), entryContent("Written before the session ran out"));

    expect(await engine.sync()).toBe("signed_out");
    expect(await outboxCounts(db)).toEqual({ waiting: 1, needsAttention: 0 });
    server.signedIn = true;
    expect(await engine.sync()).toBe("done");
    expect(server.entries.size).toBe(1);
  });

  it("keeps a refused item with the server's message while the rest of the batch goes", async () => {
    const { server, db, engine } = phoneAndServer();
    const [good, bad, alsoGood] = [newEntryId(), newEntryId(), newEntryId()];
    await saveEntry(db, good, entryContent("Good"));
    await saveEntry(db, bad, entryContent(""));
    await saveEntry(db, alsoGood, entryContent("Also good"));

    expect(await engine.sync()).toBe("done");
    expect([...server.entries.keys()].sort()).toEqual([good, alsoGood].sort());
    const refused = await db.outbox.get(bad);
    expect(refused?.state).toBe("refused");
    expect(refused?.problem?.status).toBe(422);
    expect(refused?.problem?.errors?.[0].field).toBe("entries.1.title");
    expect(await outboxCounts(db)).toEqual({ waiting: 0, needsAttention: 1 });

    await saveEntry(db, bad, entryContent("Fixed"));
    expect(await outboxCounts(db)).toEqual({ waiting: 1, needsAttention: 0 });
    expect(await engine.sync()).toBe("done");
    expect(server.entries.get(bad)?.title).toBe("Fixed");
    expect(await db.outbox.count()).toBe(0);
  });

  it("keeps an item refused alone (not in a batch) with the server's message", async () => {
    const { server, db, engine } = phoneAndServer();
    const id = newEntryId();
    await saveEntry(db, id, entryContent(""));

    expect(await engine.sync()).toBe("done");
    expect(server.entries.size).toBe(0);
    expect(await db.outbox.get(id)).toMatchObject({ state: "refused", problem: { status: 422 } });
  });

  it("says an accepted suggestion accepts it, alone or in a batch, even after an edit before upload", async () => {
    const { server, db, engine } = phoneAndServer();
    const suggestion = newEntryId();
    await accept(db, suggestion, entryContent("Suggested course"));
    await saveEntry(db, suggestion, entryContent("Suggested course, my notes"));
    expect(await engine.sync()).toBe("done");
    expect(server.requests("PUT", "/v1/evidence/").at(-1)?.body).toMatchObject({ accepts_suggestion: true });

    const another = newEntryId();
    const mine = newEntryId();
    await accept(db, another, entryContent("Another suggestion"));
    await saveEntry(db, mine, entryContent("My own entry"));
    expect(await engine.sync()).toBe("done");
    const [batch] = server.requests("POST", "/v1/evidence/batch");
    const sent = (batch.body as { entries: Record<string, unknown>[] }).entries;
    expect(sent.map((item) => [item.id, item.accepts_suggestion])).toEqual([
      [another, true],
      [mine, false],
    ]);
  });
});

describe("an edit made on another device meanwhile (412)", () => {
  async function conflicted() {
    const setup = phoneAndServer();
    const id = newEntryId();
    await saveEntry(setup.db, id, entryContent("Original"));
    await setup.engine.sync();
    setup.server.editElsewhere(id, { title: "Changed on the laptop" });
    await saveEntry(setup.db, id, entryContent("Changed on the phone"));
    expect(await setup.engine.sync()).toBe("done");
    return { ...setup, id };
  }

  it("holds both versions until the worker chooses", async () => {
    const { server, db, id } = await conflicted();
    const item = await db.outbox.get(id);
    expect(item?.state).toBe("conflict");
    expect(item?.problem?.status).toBe(412);
    expect(item?.server_entry).toMatchObject({ title: "Changed on the laptop", server_version: 2 });
    expect((await db.entries.get(id))?.title).toBe("Changed on the phone");
    expect(server.entries.get(id)?.title).toBe("Changed on the laptop");
    expect(await outboxCounts(db)).toEqual({ waiting: 0, needsAttention: 1 });
  });

  it("keep mine: the phone's version replaces the server's", async () => {
    const { server, db, engine, id } = await conflicted();
    await keepMine(db, id);
    expect(await engine.sync()).toBe("done");
    expect(server.entries.get(id)).toMatchObject({ title: "Changed on the phone", version: 3 });
    expect(await db.outbox.count()).toBe(0);
  });

  it("keep the server's: the phone takes the server's version and sends nothing", async () => {
    const { server, db, engine, id } = await conflicted();
    const putsBefore = server.requests("PUT", "/v1/evidence/").length;
    await keepServers(db, id);
    expect(await engine.sync()).toBe("done");
    expect(server.requests("PUT", "/v1/evidence/").length).toBe(putsBefore);
    expect(await db.entries.get(id)).toMatchObject({ title: "Changed on the laptop", server_version: 2 });
    expect(await db.outbox.count()).toBe(0);
  });
});
