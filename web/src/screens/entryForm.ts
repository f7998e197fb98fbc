/** The editor's form state and its conversion to what the API takes. */
import type { EntryContent, LocalEntry } from "../db/db";

export interface EntryForm {
  kind: string;
  title: string;
  occurred_on: string;
  ended_on: string;
  duration_minutes: string;
  participatory: boolean;
  activity_type: string;
  description: string;
  what_happened: string;
  what_i_learned: string;
  how_it_changes_practice: string;
  tags: string;
}

export function today(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

export function blankForm(): EntryForm {
  return {
    kind: "learning_activity",
    title: "",
    occurred_on: today(),
    ended_on: "",
    duration_minutes: "",
    participatory: false,
    activity_type: "other",
    description: "",
    what_happened: "",
    what_i_learned: "",
    how_it_changes_practice: "",
    tags: "",
  };
}

export function formFromEntry(entry: LocalEntry): EntryForm {
  const reflection = entry.reflection;
  return {
    kind: entry.kind,
    title: entry.title,
    occurred_on: entry.occurred_on,
    ended_on: entry.ended_on ?? "",
    duration_minutes: entry.duration_minutes ? String(entry.duration_minutes) : "",
    participatory: entry.participatory ?? false,
    activity_type: entry.activity_type ?? "other",
    description: entry.description ?? "",
    what_happened: reflection.what_happened ?? "",
    what_i_learned: reflection.what_i_learned ?? "",
    how_it_changes_practice: reflection.how_it_changes_practice ?? "",
    tags: (entry.tags ?? []).join(", "),
  };
}

export function contentFromForm(form: EntryForm): EntryContent {
  return {
    kind: form.kind,
    title: form.title.trim(),
    occurred_on: form.occurred_on,
    ended_on: form.ended_on || null,
    duration_minutes: Number(form.duration_minutes) || 0,
    participatory: form.participatory,
    activity_type: form.activity_type,
    description: form.description,
    reflection: {
      what_happened: form.what_happened,
      what_i_learned: form.what_i_learned,
      how_it_changes_practice: form.how_it_changes_practice,
    },
    tags: form.tags
      .split(",")
      .map((tag) => tag.trim())
      .filter(Boolean),
  };
}
