import { describe, expect, it } from "vitest";
import { addFile } from "../src/sync/files";
import { newEntryId, outboxCounts, saveEntry } from "../src/sync/outbox";
import { entryContent, phoneAndServer } from "./setup";

const photo = () => new Blob([new Uint8Array(2048)], { type: "image/jpeg" });

describe("files", () => {
  it("wait offline, then upload after their entry exists on the server", async () => {
    const { server, db, engine } = phoneAndServer();
    server.offline = true;
    const id = newEntryId();
    await saveEntry(db, id, entryContent("Certificate"));
    const fileId = await addFile(db, id, photo(), "certificate.jpg");
    expect(await engine.sync()).toBe("offline");
    expect(await outboxCounts(db)).toEqual({ waiting: 2, needsAttention: 0 });

    server.offline = false;
    expect(await engine.sync()).toBe("done");
    const order = server.log.filter((request) => request.method !== "GET").map((request) => `${request.method} ${request.path}`);
    expect(order).toEqual([`PUT /v1/evidence/${id}`, `POST /v1/evidence/${id}/attachments`]);
    expect(server.attachments).toEqual([{ id: "att-1", entry_id: id, filename: "certificate.jpg", bytes: 2048 }]);
    const stored = await db.files.get(fileId);
    expect(stored?.state).toBe("uploaded");
    expect(stored?.attachment_id).toBe("att-1");
    expect(stored?.blob).toBeUndefined();
    expect(stored?.thumbnail?.size).toBe(3);
    expect(await outboxCounts(db)).toEqual({ waiting: 0, needsAttention: 0 });
  });

  it("stay on the phone while their entry is refused", async () => {
    const { server, db, engine } = phoneAndServer();
    const id = newEntryId();
    await saveEntry(db, id, entryContent(""));
    const fileId = await addFile(db, id, photo(), "photo.jpg");

    expect(await engine.sync()).toBe("done");
    expect(server.requests("POST", "/v1/evidence/").length).toBe(0);
    expect((await db.files.get(fileId))?.state).toBe("waiting");
    expect((await db.files.get(fileId))?.blob?.size).toBe(2048);
  });

  it("are sent again when the answer to an upload was lost", async () => {
    const { server, db, engine } = phoneAndServer();
    const id = newEntryId();
    await saveEntry(db, id, entryContent("Notes"));
    await engine.sync();
    const fileId = await addFile(db, id, photo(), "notes.jpg");
    server.loseAnswers = 1;

    expect(await engine.sync()).toBe("offline");
    expect((await db.files.get(fileId))?.state).toBe("waiting");
    expect(await engine.sync()).toBe("done");
    expect((await db.files.get(fileId))?.state).toBe("uploaded");
  });
});
