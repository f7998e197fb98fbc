/**
 * Files on an entry: add a photo (camera), a file (a PDF certificate) or a voice note. Each
 * waits on the phone until the entry is on the server, then uploads with visible progress;
 * uploaded images show the server's thumbnail.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import type { LocalFile } from "../db/db";
import { useApp } from "../services";
import { requestBackgroundSync } from "../sync/background";
import type { UploadProgress } from "../sync/engine";
import { addFile, refreshEntryFiles, removeWaitingFile } from "../sync/files";
import { t } from "../strings";
import { ErrorMessage } from "./fields";
import { FileRow } from "./FileRow";
import { useLive } from "./useLive";
import { startRecording, voiceExtension, voiceType, type Recording } from "./voice";

function useUploadProgress(): Record<string, number> {
  const { engine } = useApp();
  const [progress, setProgress] = useState<Record<string, number>>({});
  useEffect(() => {
    const listener = (event: Event) => {
      const { fileId, fraction } = (event as CustomEvent<UploadProgress>).detail;
      setProgress((current) => ({ ...current, [fileId]: fraction }));
    };
    engine.addEventListener("progress", listener);
    return () => engine.removeEventListener("progress", listener);
  }, [engine]);
  return progress;
}

export function Attachments({ entryId, onServer }: { entryId: string; onServer: boolean }) {
  const { db, api, engine } = useApp();
  const files = useLive(() => db.files.where("entry_id").equals(entryId).sortBy("added_at"), [db, entryId]) ?? [];
  const progress = useUploadProgress();
  const photoInput = useRef<HTMLInputElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [recording, setRecording] = useState<Recording | null>(null);
  const [error, setError] = useState("");
  const mimeType = voiceType();

  useEffect(() => () => void recording?.stop(), [recording]);

  useEffect(() => {
    if (onServer) refreshEntryFiles(api, db, entryId).catch(() => undefined);
  }, [entryId, onServer]);

  async function keep(blob: Blob, filename: string) {
    await addFile(db, entryId, blob, filename);
    void engine.sync();
    void requestBackgroundSync();
  }

  async function picked(input: HTMLInputElement) {
    for (const file of Array.from(input.files ?? [])) await keep(file, file.name);
    input.value = "";
  }

  async function record() {
    setError("");
    try {
      setRecording(await startRecording(mimeType!));
    } catch {
      setError(t.files.noMicrophone);
    }
  }

  async function stop() {
    const blob = await recording!.stop();
    setRecording(null);
    const when = new Date().toISOString().slice(0, 16).replace("T", " ");
    await keep(blob, `${t.files.voiceNote(when).replace(/[: ]/g, "-")}.${voiceExtension(mimeType!)}`);
  }

  return (
    <section class="attachments" aria-labelledby="attachments-heading">
      <h2 id="attachments-heading">{t.files.legend}</h2>
      <ul class="file-list">
        {files.map((file: LocalFile) => (
          <FileRow key={file.id} file={file} progress={progress[file.id]} onRemove={() => removeWaitingFile(db, file.id)} />
        ))}
      </ul>
      <input ref={photoInput} type="file" accept="image/*" capture="environment" hidden onChange={(e) => picked(e.currentTarget)} />
      <input ref={fileInput} type="file" accept="application/pdf,image/*,text/plain,audio/*" hidden onChange={(e) => picked(e.currentTarget)} />
      <div class="actions">
        <button type="button" onClick={() => photoInput.current!.click()}>
          {t.files.addPhoto}
        </button>
        <button type="button" onClick={() => fileInput.current!.click()}>
          {t.files.addFile}
        </button>
        {mimeType && !recording && (
          <button type="button" onClick={record}>
            {t.files.record}
          </button>
        )}
        {recording && (
          <button type="button" class="recording" onClick={stop}>
            {t.files.stop}
          </button>
        )}
      </div>
      {recording && <p>{t.files.recording}</p>}
      <ErrorMessage>{error}</ErrorMessage>
    </section>
  );
}
