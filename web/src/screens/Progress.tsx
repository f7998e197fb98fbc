/**
 * Registrations and progress: each registration's rules with required / achieved / remaining,
 * due date and status, "if audited today", and gap explanations. Online only; the registrations
 * read here are kept on the phone for the editor's reflection prompts.
 */
import { useState } from "preact/hooks";
import type { Schemas } from "../api/client";
import { need } from "../api/remote";
import { ErrorMessage } from "../components/fields";
import { AuditProfile } from "../components/progress/AuditProfile";
import { GapExplanations, type GapDraft } from "../components/progress/GapExplanations";
import { RegistrationForm } from "../components/progress/RegistrationForm";
import { RuleList } from "../components/progress/RuleList";
import { StatusBadge } from "../components/progress/StatusBadge";
import { day } from "../components/remote/format";
import { useAction, useRemote } from "../components/remote/hooks";
import { OnlineOnlyNote } from "../components/remote/OnlineOnly";
import { useApp } from "../services";
import { keepRegistrations } from "../sync/registrations";
import { t } from "../strings";

type Progress = Schemas["requirements_schemas_ProgressOut"];
type RegistrationProgress = Schemas["RegistrationProgress"];
type Pack = Schemas["PackOut"];

interface CardProps {
  item: RegistrationProgress;
  packs: Pack[];
  onChanged: () => Promise<void>;
}

function RegistrationCard({ item, packs, onChanged }: CardProps) {
  const { api } = useApp();
  const [editing, setEditing] = useState(false);
  const [auditing, setAuditing] = useState(false);
  const [gapDraft, setGapDraft] = useState<GapDraft | null>(null);
  const removal = useAction();
  const registration = item.registration;
  const label = `${item.pack.title} ${registration.registration_number}`;
  const headingId = `registration-${registration.id}`;

  async function remove() {
    if (!confirm(t.progress.removeConfirm)) return;
    const request = api.DELETE("/v1/me/registrations/{registration_id}", {
      params: { path: { registration_id: registration.id } },
    });
    if (await removal.run(() => need(request, t.online.unreachable))) await onChanged();
  }

  return (
    <section class="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{label}</h2>
      <p>
        {t.progress.cycle(day(registration.cycle_start), day(registration.renewal_date))}. {t.progress.overall}:{" "}
        <StatusBadge status={item.status} />
      </p>
      <div class="actions">
        <button type="button" aria-expanded={editing} onClick={() => setEditing(!editing)}>
          {t.progress.change}
          <span class="visually-hidden"> {label}</span>
        </button>
        <button type="button" aria-expanded={auditing} onClick={() => setAuditing(!auditing)}>
          {t.progress.auditShow}
          <span class="visually-hidden"> {label}</span>
        </button>
        <button type="button" disabled={removal.busy} onClick={remove}>
          {t.progress.remove}
          <span class="visually-hidden"> {label}</span>
        </button>
      </div>
      <ErrorMessage>{removal.error}</ErrorMessage>
      {editing && (
        <RegistrationForm
          packs={packs}
          existing={registration}
          onDone={async (saved) => {
            setEditing(false);
            if (saved) await onChanged();
          }}
        />
      )}
      {auditing && <AuditProfile registrationId={registration.id} />}
      <RuleList
        rules={item.rules}
        onExplain={(gap) => setGapDraft({ starts_on: gap.from_date, ends_on: gap.to_date, reason: "" })}
      />
      <GapExplanations registrationId={registration.id} draft={gapDraft} onChanged={() => void onChanged()} />
    </section>
  );
}

export function ProgressScreen() {
  const { api, db } = useApp();
  const [adding, setAdding] = useState(false);
  const progress = useRemote(async () => {
    const answer = await need<Progress>(api.GET("/v1/me/progress"), t.online.unreachable);
    await keepRegistrations(
      db,
      answer.registrations.map((item) => item.registration),
    );
    return answer;
  }, [api, db]);
  const packs = useRemote(() => need<Pack[]>(api.GET("/v1/requirement-packs"), t.online.unreachable), [api]);
  const registrations = progress.value?.registrations;

  return (
    <>
      <h1>{t.progress.heading}</h1>
      <p>{t.progress.intro}</p>
      <OnlineOnlyNote />
      <ErrorMessage>{progress.error || packs.error}</ErrorMessage>
      {!registrations && progress.loading && <p>{t.online.loading}</p>}
      {registrations?.length === 0 && <p>{t.progress.none}</p>}
      {(registrations ?? []).map((item) => (
        <RegistrationCard
          key={item.registration.id}
          item={item}
          packs={packs.value ?? []}
          onChanged={progress.reload}
        />
      ))}
      {adding && packs.value ? (
        <RegistrationForm
          packs={packs.value}
          onDone={async (saved) => {
            setAdding(false);
            if (saved) await progress.reload();
          }}
        />
      ) : (
        <div class="actions">
          <button type="button" class="primary" disabled={!packs.value} onClick={() => setAdding(true)}>
            {t.progress.add}
          </button>
        </div>
      )}
    </>
  );
}
