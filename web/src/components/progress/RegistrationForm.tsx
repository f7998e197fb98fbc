/**
 * Adding or changing a registration: the register and part (from the requirement packs the
 * server holds), the number, the cycle, optionally a pinned edition of the rules, and the
 * summary of practice HCPC asks for. `PUT /v1/me/registrations/{id}` with an id made here.
 */
import { useState } from "preact/hooks";
import type { Schemas } from "../../api/client";
import { need } from "../../api/remote";
import { useApp } from "../../services";
import type { Registration } from "../../sync/registrations";
import { t } from "../../strings";
import { ErrorMessage, Select, TextArea, TextField } from "../fields";
import { useAction } from "../remote/hooks";

type Pack = Schemas["PackOut"];

interface Props {
  packs: Pack[];
  existing?: Registration;
  onDone: (saved: boolean) => void;
}

function blank(packs: Pack[]) {
  const first = packs[0];
  return {
    register: first?.register ?? "",
    part: Object.keys(first?.parts ?? {})[0] ?? "",
    registration_number: "",
    cycle_start: "",
    renewal_date: "",
    pack_edition: "",
    practice_summary: "",
  };
}

export function RegistrationForm({ packs, existing, onDone }: Props) {
  const { api } = useApp();
  const [form, setForm] = useState(() => (existing ? { ...existing } : blank(packs)));
  const [id] = useState(() => existing?.id ?? crypto.randomUUID());
  const action = useAction();
  const prefix = `registration-${id}`;
  const ofRegister = packs.filter((pack) => pack.register === form.register);
  const registers = [...new Map(packs.map((pack) => [pack.register, pack.regulator || pack.register])).entries()];
  const parts = Object.entries(Object.assign({}, ...ofRegister.map((pack) => pack.parts)) as Record<string, string>);
  const change = (patch: Partial<typeof form>) => setForm({ ...form, ...patch });

  function chooseRegister(register: string) {
    const firstPack = packs.find((pack) => pack.register === register);
    change({ register, part: Object.keys(firstPack?.parts ?? {})[0] ?? "", pack_edition: "" });
  }

  async function submit(event: Event) {
    event.preventDefault();
    const { register, part, registration_number, cycle_start, renewal_date, pack_edition, practice_summary } = form;
    const body = { register, part, registration_number, cycle_start, renewal_date, pack_edition, practice_summary };
    const request = api.PUT("/v1/me/registrations/{registration_id}", {
      params: { path: { registration_id: id } },
      body,
    });
    if (await action.run(() => need(request, t.online.unreachable))) onDone(true);
  }

  return (
    <form onSubmit={submit} class="panel">
      <h3>{existing ? t.progress.changeHeading : t.progress.addHeading}</h3>
      <Select
        id={`${prefix}-register`}
        label={t.progress.register}
        value={form.register}
        onChange={chooseRegister}
        options={registers}
      />
      <Select
        id={`${prefix}-part`}
        label={t.progress.part}
        value={form.part}
        onChange={(part) => change({ part })}
        options={parts}
      />
      <TextField
        id={`${prefix}-number`}
        label={t.progress.number}
        value={form.registration_number}
        required
        onInput={(registration_number) => change({ registration_number })}
      />
      <div class="field-row">
        <TextField
          id={`${prefix}-start`}
          type="date"
          label={t.progress.cycleStart}
          value={form.cycle_start}
          required
          onInput={(cycle_start) => change({ cycle_start })}
        />
        <TextField
          id={`${prefix}-renewal`}
          type="date"
          label={t.progress.renewal}
          value={form.renewal_date}
          required
          onInput={(renewal_date) => change({ renewal_date })}
        />
      </div>
      <Select
        id={`${prefix}-edition`}
        label={t.progress.edition}
        value={form.pack_edition}
        onChange={(pack_edition) => change({ pack_edition })}
        options={[
          ["", t.progress.editionInForce],
          ...ofRegister.map((pack): [string, string] => [pack.edition, `${pack.edition}: ${pack.title}`]),
        ]}
      />
      <TextArea
        id={`${prefix}-summary`}
        label={t.progress.practiceSummary}
        hint={t.progress.practiceSummaryHint}
        value={form.practice_summary}
        onInput={(practice_summary) => change({ practice_summary })}
      />
      <ErrorMessage>{action.error}</ErrorMessage>
      <div class="actions">
        <button type="submit" class="primary" disabled={action.busy}>
          {existing ? t.progress.submitChange : t.progress.submitNew}
        </button>
        <button type="button" onClick={() => onDone(false)}>
          {t.progress.cancel}
        </button>
      </div>
    </form>
  );
}
