/**
 * Accepting a suggested entry is saving an entry like any other: into IndexedDB and the outbox,
 * for the sync engine to upload. Its id is the suggestion's id, and it is sent saying it accepts
 * that suggestion (`accepts_suggestion`), which is how the server knows the suggestion was
 * accepted; a retried upload is a replay of that id, so there is only ever one entry.
 */
import type { Schemas } from "../../api/client";
import type { CplDatabase, EntryContent } from "../../db/db";
import { saveEntry } from "../../sync/outbox";
import type { EntryForm } from "../../screens/entryForm";

export type Suggestion = Schemas["SuggestionOut"];

export function contentOf(suggestion: Suggestion): EntryContent {
  return {
    kind: "learning_activity",
    title: suggestion.title,
    occurred_on: suggestion.occurred_on,
    ended_on: suggestion.ended_on ?? null,
    duration_minutes: suggestion.duration_minutes,
    participatory: false,
    activity_type: suggestion.activity_type,
    description: suggestion.description,
    reflection: { what_happened: "", what_i_learned: "", how_it_changes_practice: "" },
    tags: [],
  };
}

export function formOf(suggestion: Suggestion): EntryForm {
  return {
    kind: "learning_activity",
    title: suggestion.title,
    occurred_on: suggestion.occurred_on,
    ended_on: suggestion.ended_on ?? "",
    duration_minutes: suggestion.duration_minutes ? String(suggestion.duration_minutes) : "",
    participatory: false,
    activity_type: suggestion.activity_type,
    description: suggestion.description,
    what_happened: "",
    what_i_learned: "",
    how_it_changes_practice: "",
    tags: "",
  };
}

export async function accept(db: CplDatabase, suggestionId: string, content: EntryContent): Promise<void> {
  await saveEntry(db, suggestionId, content, true);
}
