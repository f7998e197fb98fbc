/**
 * A registration's gap explanations: why there was no learning for a stretch (illness, leave).
 * Explanations that cover every day of a gap make it explained (see cpl.requirements gaps).
 * `PUT …/gap-explanations/{id}` adds or changes one; `DELETE` removes it.
 */
import { useEffect, useState } from "preact/hooks";
import type { Schemas } from "../../api/client";
import { need } from "../../api/remote";
import { useApp } from "../../services";
import { t } from "../../strings";
import { ErrorMessage, TextArea, TextField } from "../fields";
import { day } from "../remote/format";
import { useAction, useRemote } from "../remote/hooks";

type Explanation = Schemas["GapExplanationOut"];
export interface GapDraft {
  id?: string;
  starts_on: string;
  ends_on: string;
  reason: string;
}

interface Props {
  registrationId: string;
  /** A gap the worker chose to explain from the rules' list, or null. */
  draft: GapDraft | null;
  onChanged: () => void;
}

export function GapExplanations({ registrationId, draft, onChanged }: Props) {
  const { api } = useApp();
  const path = { registration_id: registrationId };
  const explanations = useRemote(
    () =>
      need<Explanation[]>(
        api.GET("/v1/me/registrations/{registration_id}/gap-explanations", { params: { path } }),
        t.online.unreachable,
      ),
    [registrationId],
  );
  const [form, setForm] = useState<GapDraft | null>(draft);
  const action = useAction();
  const prefix = `gap-${registrationId}`;
  useEffect(() => setForm(draft), [draft]);

  async function submit(event: Event) {
    event.preventDefault();
    const { starts_on, ends_on, reason } = form!;
    const explanation_id = form!.id ?? crypto.randomUUID();
    const request = api.PUT("/v1/me/registrations/{registration_id}/gap-explanations/{explanation_id}", {
      params: { path: { ...path, explanation_id } },
      body: { starts_on, ends_on, reason },
    });
    if (!(await action.run(() => need(request, t.online.unreachable)))) return;
    setForm(null);
    await explanations.reload();
    onChanged();
  }

  async function remove(explanation: Explanation) {
    const request = api.DELETE("/v1/me/registrations/{registration_id}/gap-explanations/{explanation_id}", {
      params: { path: { ...path, explanation_id: explanation.id } },
    });
    if (!(await action.run(() => need(request, t.online.unreachable)))) return;
    await explanations.reload();
    onChanged();
  }

  const list = explanations.value ?? [];
  const span = (item: { starts_on: string; ends_on: string }) => [day(item.starts_on), day(item.ends_on)] as const;
  return (
    <section aria-labelledby={`${prefix}-heading`}>
      <h3 id={`${prefix}-heading`}>{t.gaps.heading}</h3>
      <p class="hint">{t.gaps.intro}</p>
      <ErrorMessage>{explanations.error || action.error}</ErrorMessage>
      {explanations.value && list.length === 0 && <p>{t.gaps.none}</p>}
      {list.length > 0 && (
        <ul class="plain-list">
          {list.map((item) => (
            <li key={item.id}>
              {t.progress.gap(...span(item))}: {item.reason}{" "}
              <button type="button" class="link" onClick={() => setForm({ ...item })}>
                {t.gaps.change(...span(item))}
              </button>
              <button type="button" class="link" disabled={action.busy} onClick={() => remove(item)}>
                {t.gaps.remove(...span(item))}
              </button>
            </li>
          ))}
        </ul>
      )}
      {form ? (
        <form onSubmit={submit} class="panel">
          <div class="field-row">
            <TextField
              id={`${prefix}-from`}
              type="date"
              label={t.gaps.startsOn}
              value={form.starts_on}
              required
              onInput={(starts_on) => setForm({ ...form, starts_on })}
            />
            <TextField
              id={`${prefix}-to`}
              type="date"
              label={t.gaps.endsOn}
              value={form.ends_on}
              required
              onInput={(ends_on) => setForm({ ...form, ends_on })}
            />
          </div>
          <TextArea
            id={`${prefix}-reason`}
            label={t.gaps.reason}
            value={form.reason}
            rows={2}
            onInput={(reason) => setForm({ ...form, reason })}
          />
          <div class="actions">
            <button type="submit" class="primary" disabled={action.busy}>
              {form.id ? t.gaps.update : t.gaps.add}
            </button>
            <button type="button" onClick={() => setForm(null)}>
              {t.gaps.cancel}
            </button>
          </div>
        </form>
      ) : (
        <button type="button" onClick={() => setForm({ starts_on: "", ends_on: "", reason: "" })}>
          {t.gaps.add}
        </button>
      )}
    </section>
  );
}
