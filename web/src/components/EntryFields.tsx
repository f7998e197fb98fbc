/** The fields of an entry, each with its visible label (names are the tests' exact ones). */
import { kindLabel, t } from "../strings";
import type { EntryForm } from "../screens/entryForm";
import { Checkbox, Select, TextArea, TextField } from "./fields";
import { ReflectionFields } from "./ReflectionFields";

interface Props {
  form: EntryForm;
  onChange: (patch: Partial<EntryForm>) => void;
}

export function EntryFields({ form, onChange }: Props) {
  const kinds = Object.keys(t.kinds).map((kind): [string, string] => [kind, kindLabel(kind)]);
  if (!t.kinds[form.kind]) kinds.push([form.kind, kindLabel(form.kind)]);
  const activities = Object.entries(t.activityTypes);
  return (
    <>
      <TextField id="entry-title" label={t.editor.title} required value={form.title} onInput={(title) => onChange({ title })} />
      <Select id="entry-kind" label={t.editor.kind} value={form.kind} onChange={(kind) => onChange({ kind })} options={kinds} />
      <div class="field-row">
        <TextField
          id="entry-date"
          label={t.editor.date}
          type="date"
          required
          value={form.occurred_on}
          onInput={(occurred_on) => onChange({ occurred_on })}
        />
        <TextField id="entry-ended" label={t.editor.endedOn} type="date" value={form.ended_on} onInput={(ended_on) => onChange({ ended_on })} />
      </div>
      <TextField
        id="entry-duration"
        label={t.editor.duration}
        type="number"
        inputMode="numeric"
        min={0}
        max={60000}
        value={form.duration_minutes}
        onInput={(duration_minutes) => onChange({ duration_minutes })}
      />
      <Checkbox
        id="entry-participatory"
        label={t.editor.participatory}
        checked={form.participatory}
        onChange={(participatory) => onChange({ participatory })}
      />
      <Select
        id="entry-activity"
        label={t.editor.activityType}
        value={form.activity_type}
        onChange={(activity_type) => onChange({ activity_type })}
        options={activities}
      />
      <TextArea id="entry-description" label={t.editor.description} value={form.description} onInput={(description) => onChange({ description })} />
      <ReflectionFields form={form} onChange={onChange} />
      <TextField id="entry-tags" label={t.editor.tags} hint={t.editor.tagsHint} value={form.tags} onInput={(tags) => onChange({ tags })} />
    </>
  );
}
