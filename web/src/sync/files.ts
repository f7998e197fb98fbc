/**
 * Evidence files (photos, PDFs, voice notes). They wait in IndexedDB until their entry exists
 * on the server, then go up one at a time; after upload the phone keeps only the server's
 * thumbnail (which has no GPS or other metadata), not the original bytes.
 */
import { asProblem, type ApiClient, type AttachmentOut } from "../api/client";
import type { Uploader } from "../api/upload";
import type { CplDatabase, LocalFile } from "../db/db";
import { isTransient, stopFor, type StepResult } from "./result";

export async function addFile(db: CplDatabase, entryId: string, blob: Blob, filename: string): Promise<string> {
  const id = crypto.randomUUID();
  await db.files.add({
    id,
    entry_id: entryId,
    filename,
    media_type: blob.type || "application/octet-stream",
    blob,
    state: "waiting",
    added_at: Date.now(),
  });
  return id;
}

/** A file not yet uploaded can be taken off; an uploaded one is removed through the API. */
export async function removeWaitingFile(db: CplDatabase, fileId: string): Promise<void> {
  await db.files.where({ id: fileId }).and((file) => file.state !== "uploading").delete();
}

/** An upload interrupted by closing the app starts again next time. */
export async function resetInterruptedUploads(db: CplDatabase): Promise<void> {
  await db.files.where("state").equals("uploading").modify({ state: "waiting" });
}

async function fetchThumbnail(api: ApiClient, attachment: AttachmentOut): Promise<Blob | undefined> {
  if (!attachment.thumbnail_url) return undefined;
  const { data } = await api.GET("/v1/attachments/{attachment_id}/thumbnail", {
    params: { path: { attachment_id: attachment.id } },
    parseAs: "blob",
  });
  return data instanceof Blob ? data : undefined;
}

async function uploadOne(
  api: ApiClient,
  db: CplDatabase,
  upload: Uploader,
  file: LocalFile,
  onProgress: (fileId: string, fraction: number) => void,
): Promise<StepResult> {
  await db.files.update(file.id, { state: "uploading" });
  let answer;
  try {
    answer = await upload(file.entry_id, { blob: file.blob!, filename: file.filename }, (f) => onProgress(file.id, f));
  } catch (failure) {
    await db.files.update(file.id, { state: "waiting" });
    if (failure instanceof TypeError) return "offline";
    throw failure;
  }
  if (answer.status === 200 || answer.status === 201) {
    const attachment = answer.body as AttachmentOut;
    const thumbnail = await fetchThumbnail(api, attachment).catch(() => undefined);
    await db.files.update(file.id, { state: "uploaded", blob: undefined, attachment_id: attachment.id, thumbnail });
    return "done";
  }
  if (answer.status === 401 || isTransient(answer.status)) {
    await db.files.update(file.id, { state: "waiting" });
    return stopFor(answer.status);
  }
  await db.files.update(file.id, { state: "refused", problem: asProblem(answer.body, answer.status) });
  return "done";
}

/**
 * The files the server has on an entry (added on another device, or before this phone was
 * set up) join the phone's list, with their thumbnails. Needs a connection; offline, the list
 * stays as it was.
 */
export async function refreshEntryFiles(api: ApiClient, db: CplDatabase, entryId: string): Promise<void> {
  const { data } = await api.GET("/v1/evidence/{entry_id}/attachments", { params: { path: { entry_id: entryId } } });
  if (!data) return;
  const known = new Set((await db.files.where("entry_id").equals(entryId).toArray()).map((file) => file.attachment_id));
  for (const attachment of data.filter((item) => !known.has(item.id))) {
    await db.files.put({
      id: attachment.id,
      entry_id: entryId,
      filename: attachment.filename,
      media_type: attachment.media_type,
      state: "uploaded",
      added_at: Date.parse(attachment.created_at),
      attachment_id: attachment.id,
      thumbnail: await fetchThumbnail(api, attachment).catch(() => undefined),
    });
  }
}

/** Upload every waiting file whose entry the server already has. */
export async function uploadFiles(
  api: ApiClient,
  db: CplDatabase,
  upload: Uploader,
  onProgress: (fileId: string, fraction: number) => void,
): Promise<StepResult> {
  const waiting = await db.files.where("state").equals("waiting").sortBy("added_at");
  for (const file of waiting) {
    const entry = await db.entries.get(file.entry_id);
    if (!entry || entry.server_version === null || !file.blob) continue;
    const outcome = await uploadOne(api, db, upload, file, onProgress);
    if (outcome !== "done") return outcome;
  }
  return "done";
}
