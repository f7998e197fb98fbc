/**
 * Editing a suggestion before accepting it: the entry form, filled in from the suggestion. Saving
 * writes the entry (with the suggestion's id) through the outbox and opens it. Online only (the
 * suggestion is read from the server).
 */
import { useLocation } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import { need } from "../api/remote";
import { EntryFields } from "../components/EntryFields";
import { ErrorMessage } from "../components/fields";
import { useRemote } from "../components/remote/hooks";
import { accept, formOf, type Suggestion } from "../components/suggestions/accept";
import { paths } from "../routes";
import { useApp } from "../services";
import { requestBackgroundSync } from "../sync/background";
import { t } from "../strings";
import { contentFromForm, type EntryForm } from "./entryForm";

export function SuggestionScreen({ id }: { id: string }) {
  const { api, db, engine } = useApp();
  const { route } = useLocation();
  const waiting = useRemote(() => need<Suggestion[]>(api.GET("/v1/me/suggestions"), t.online.unreachable), [api]);
  const [form, setForm] = useState<EntryForm | null>(null);
  const [error, setError] = useState("");
  const suggestion = waiting.value?.find((item) => item.id === id);

  useEffect(() => {
    if (suggestion && !form) setForm(formOf(suggestion));
  }, [suggestion]);

  async function save(event: Event) {
    event.preventDefault();
    try {
      await accept(db, id, contentFromForm(form!));
    } catch (failure) {
      return setError(String(failure));
    }
    void engine.sync();
    void requestBackgroundSync();
    route(paths.entry(id), true);
  }

  return (
    <>
      <p>
        <a href={paths.suggestions}>{t.suggestions.back}</a>
      </p>
      <h1>{t.suggestions.editHeading}</h1>
      <ErrorMessage>{waiting.error}</ErrorMessage>
      {waiting.value && !suggestion && <p>{t.suggestions.gone}</p>}
      {form && (
        <form onSubmit={save} class="editor">
          <EntryFields form={form} onChange={(patch) => setForm({ ...form, ...patch })} />
          <ErrorMessage>{error}</ErrorMessage>
          <div class="actions">
            <button type="submit" class="primary">
              {t.suggestions.save}
            </button>
            <a href={paths.suggestions}>{t.editor.cancel}</a>
          </div>
        </form>
      )}
    </>
  );
}
