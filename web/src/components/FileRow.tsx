/** One file on an entry: its name, where it is (waiting, uploading with progress, uploaded), its thumbnail. */
import { useEffect, useState } from "preact/hooks";
import { problemMessage } from "../api/client";
import type { LocalFile } from "../db/db";
import { t } from "../strings";

function useObjectUrl(blob: Blob | undefined): string | undefined {
  const [url, setUrl] = useState<string>();
  useEffect(() => {
    if (!blob) return setUrl(undefined);
    const made = URL.createObjectURL(blob);
    setUrl(made);
    return () => URL.revokeObjectURL(made);
  }, [blob]);
  return url;
}

const STATE_LABELS = {
  waiting: t.files.waiting,
  uploading: t.files.uploading,
  uploaded: t.files.uploaded,
  refused: t.files.refused,
};

export function FileRow({ file, progress, onRemove }: { file: LocalFile; progress?: number; onRemove: () => void }) {
  const preview = useObjectUrl(file.thumbnail ?? (file.media_type.startsWith("image/") ? file.blob : undefined));
  return (
    <li class="file-row">
      {preview && <img src={preview} alt="" width={64} height={64} class="thumb" />}
      <span class="file-name">{file.filename}</span>
      <span class="file-state">{STATE_LABELS[file.state]}</span>
      {file.state === "uploading" && (
        <progress max={1} value={progress ?? 0} aria-label={t.files.progress(file.filename)} />
      )}
      {file.problem && <span class="error">{problemMessage(file.problem)}</span>}
      {(file.state === "waiting" || file.state === "refused") && (
        <button type="button" class="link" onClick={onRemove}>
          {t.files.remove(file.filename)}
        </button>
      )}
    </li>
  );
}
