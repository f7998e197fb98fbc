import { describe, expect, it } from "vitest";
import { META, readMeta } from "../src/db/db";
import { pullChanges } from "../src/sync/pull";
import { createApi } from "../src/api/client";
import { newEntryId, saveEntry } from "../src/sync/outbox";
import { entryContent, phoneAndServer } from "./setup";

describe("catching up with GET /v1/sync", () => {
  it("stores each page's cursor after applying it, and not past a page that never came", async () => {
    const { server, db } = phoneAndServer();
    server.syncPageSize = 2;
    for (const title of ["A", "B", "C"]) server.createElsewhere(newEntryId(), title);
    let calls = 0;
    const api = createApi({
      baseUrl: "http://cpl.test",
      fetch: (request) => (++calls === 2 ? Promise.reject(new TypeError("Failed to fetch")) : server.fetch(request)),
    });

    expect(await pullChanges(api, db)).toBe("offline");
    expect(await readMeta(db, META.cursor)).toBe("2");
    expect((await db.entries.toArray()).map((entry) => entry.title).sort()).toEqual(["A", "B"]);

    expect(await pullChanges(api, db)).toBe("done");
    expect(await readMeta(db, META.cursor)).toBe("3");
    expect(await db.entries.count()).toBe(3);
  });

  it("leaves the cursor where it was when a page cannot be applied", async () => {
    const { server, db, engine } = phoneAndServer();
    server.createElsewhere(newEntryId(), "A");
    await engine.sync();
    expect(await readMeta(db, META.cursor)).toBe("1");
    server.createElsewhere(newEntryId(), "B");
    server.corruptNextSyncPage = true;

    await expect(engine.sync()).rejects.toThrow();
    expect(await readMeta(db, META.cursor)).toBe("1");
    expect((await db.entries.toArray()).map((entry) => entry.title)).toEqual(["A"]);

    expect(await engine.sync()).toBe("done");
    expect(await readMeta(db, META.cursor)).toBe("2");
  });

  it("does not overwrite an entry with an unsent change; the conflict surfaces on sending", async () => {
    const { server, db, engine } = phoneAndServer();
    const id = newEntryId();
    await saveEntry(db, id, entryContent("Mine"));
    await engine.sync();
    server.offline = true;
    await saveEntry(db, id, entryContent("Mine, edited offline"));
    server.offline = false;
    server.editElsewhere(id, { title: "Theirs" });

    await engine.sync();
    expect((await db.entries.get(id))?.title).toBe("Mine, edited offline");
    expect((await db.outbox.get(id))?.state).toBe("conflict");
  });
});
