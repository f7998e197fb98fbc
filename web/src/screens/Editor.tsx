/**
 * The entry editor: every field of an entry, the structured reflection with prompts for the
 * worker's registers, files and competences. Saving writes to the phone and queues the upload.
 */
import { useLocation, useRoute } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import { Attachments } from "../components/Attachments";
import { CompetencePicker } from "../components/CompetencePicker";
import { EntryFields } from "../components/EntryFields";
import { RefusedChange } from "../components/RefusedChange";
import { ErrorMessage } from "../components/fields";
import { useLive } from "../components/useLive";
import { paths } from "../routes";
import { useApp } from "../services";
import { requestBackgroundSync } from "../sync/background";
import { newEntryId, saveEntry } from "../sync/outbox";
import { t } from "../strings";
import { blankForm, contentFromForm, formFromEntry, type EntryForm } from "./entryForm";

export function EditorScreen() {
  const { db, engine } = useApp();
  const { params } = useRoute();
  const { route } = useLocation();
  const [id] = useState(() => params.id ?? newEntryId());
  const isNew = !params.id;
  const [form, setForm] = useState<EntryForm | null>(isNew ? blankForm() : null);
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");
  const entry = useLive(() => db.entries.get(id), [db, id]);
  const pending = useLive(() => db.outbox.get(id), [db, id]);
  const onServer = (entry?.server_version ?? null) !== null;

  useEffect(() => {
    if (!form && entry) setForm(formFromEntry(entry));
  }, [entry]);

  if (!form) return entry === undefined ? null : <p>{t.editor.notFound}</p>;

  async function save(event: Event) {
    event.preventDefault();
    setError("");
    try {
      await saveEntry(db, id, contentFromForm(form!));
    } catch (failure) {
      return setError(String(failure));
    }
    setMessage(t.editor.saved);
    void engine.sync();
    void requestBackgroundSync();
    if (isNew) route(paths.entry(id), true);
  }

  return (
    <>
      <h1>{isNew ? t.editor.newHeading : t.editor.editHeading}</h1>
      {pending?.state === "refused" && <RefusedChange item={pending} />}
      {pending?.state === "conflict" && (
        <p>
          <a href={paths.conflict(id)}>{t.editor.resolveConflict}</a>
        </p>
      )}
      <form onSubmit={save} class="editor">
        <EntryFields form={form} onChange={(patch) => setForm({ ...form, ...patch })} />
        <ErrorMessage>{error}</ErrorMessage>
        <div class="actions">
          <button type="submit" class="primary">
            {t.editor.save}
          </button>
          <a href={paths.log}>{t.editor.cancel}</a>
        </div>
        {message && <p class="saved-note">{message}</p>}
      </form>
      {entry && entry.server_version !== null && (
        <p>
          <a href={paths.entryReview(id)}>{t.share.fromEntry}</a>
        </p>
      )}
      {entry ? (
        <Attachments entryId={id} onServer={onServer} />
      ) : (
        <section aria-labelledby="attachments-heading">
          <h2 id="attachments-heading">{t.files.legend}</h2>
          <p>{t.files.saveFirst}</p>
        </section>
      )}
      <CompetencePicker entryId={id} onServer={onServer} />
    </>
  );
}
