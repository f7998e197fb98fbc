/**
 * The structured reflection. Its prompts follow the worker's registrations (NMC reflective
 * account, Social Work England peer reflection, SSSC core learning elements — see
 * ../shared/DOMAIN.md), read from the copy kept on the phone; general prompts otherwise.
 */
import { useEffect } from "preact/hooks";
import type { Schemas } from "../api/client";
import { META, readMeta } from "../db/db";
import { refreshRegistrations } from "../sync/registrations";
import { useApp } from "../services";
import type { EntryForm } from "../screens/entryForm";
import { t } from "../strings";
import { TextArea } from "./fields";
import { useLive } from "./useLive";

type Registration = Schemas["RegistrationOut"];

/** The prompt sets for the registers the worker holds, or the general set. */
export function promptSets(registrations: Registration[]): string[][] {
  const registers = [...new Set(registrations.map((registration) => registration.register))];
  const sets = registers.map((register) => t.prompts[register]).filter(Boolean);
  return sets.length > 0 ? sets : [t.prompts.general];
}

interface Props {
  form: EntryForm;
  onChange: (patch: Partial<EntryForm>) => void;
}

export function ReflectionFields({ form, onChange }: Props) {
  const { db, api } = useApp();
  useEffect(() => void refreshRegistrations(db, api), [db, api]);
  const registrations = useLive(() => readMeta<Registration[]>(db, META.registrations), [db]) ?? [];
  const sets = promptSets(registrations);
  const hint = (index: number) => sets.map((set) => set[index]).join(" ");
  return (
    <fieldset>
      <legend>{t.editor.reflectionLegend}</legend>
      <TextArea
        id="reflection-happened"
        label={t.editor.whatHappened}
        hint={hint(0)}
        value={form.what_happened}
        onInput={(what_happened) => onChange({ what_happened })}
      />
      <TextArea
        id="reflection-learned"
        label={t.editor.whatLearned}
        hint={hint(1)}
        value={form.what_i_learned}
        onInput={(what_i_learned) => onChange({ what_i_learned })}
      />
      <TextArea
        id="reflection-practice"
        label={t.editor.howChanges}
        hint={hint(2)}
        value={form.how_it_changes_practice}
        onInput={(how_it_changes_practice) => onChange({ how_it_changes_practice })}
      />
    </fieldset>
  );
}
