/**
 * "If audited today": what the regulator would ask for, in the shape that regulator uses
 * (`GET /v1/me/registrations/{id}/audit-profile`): the requirement lines, the totals, and the
 * entries the worker would show, by section.
 */
import type { Schemas } from "../../api/client";
import { need } from "../../api/remote";
import { useApp } from "../../services";
import { t } from "../../strings";
import { ErrorMessage } from "../fields";
import { day } from "../remote/format";
import { useRemote } from "../remote/hooks";
import { amount, StatusBadge } from "./StatusBadge";

type ProfileEntry = Schemas["ProfileEntry"];
type Gap = Schemas["GapOut"];
type Profile =
  | Schemas["NmcProfile"]
  | Schemas["HcpcProfile"]
  | Schemas["SweProfile"]
  | Schemas["SsscProfile"]
  | Schemas["CoruProfile"];

function EntryTitles({ heading, entries }: { heading: string; entries: ProfileEntry[] }) {
  return (
    <>
      <h4>
        {heading} ({entries.length})
      </h4>
      {entries.length === 0 ? (
        <p>{t.audit.nothing}</p>
      ) : (
        <ul class="plain-list">
          {entries.map((entry) => (
            <li key={entry.id}>
              {day(entry.occurred_on)}: {entry.title}
            </li>
          ))}
        </ul>
      )}
    </>
  );
}

function GapLines({ heading, gaps }: { heading: string; gaps: Pick<Gap, "from_date" | "to_date">[] }) {
  if (gaps.length === 0) return null;
  return (
    <>
      <h4>{heading}</h4>
      <ul class="plain-list">
        {gaps.map((gap) => (
          <li key={gap.from_date}>{t.progress.gap(day(gap.from_date), day(gap.to_date))}</li>
        ))}
      </ul>
    </>
  );
}

function Details({ profile }: { profile: Profile }) {
  const fields = profile as unknown as Record<string, unknown>;
  const totals = Object.keys(t.audit.totals).filter((key) => typeof fields[key] === "number");
  const sections = Object.keys(t.audit.sections).filter((key) => Array.isArray(fields[key]));
  return (
    <>
      {totals.length > 0 && (
        <dl class="figures">
          {totals.map((key) => (
            <div key={key}>
              <dt>{t.audit.totals[key]}</dt>
              <dd>{amount("minutes", fields[key] as number)}</dd>
            </div>
          ))}
        </dl>
      )}
      {profile.profile === "coru" && profile.credits && (
        <p>{t.progress.inUnits(profile.credits.achieved, profile.credits.required, profile.credits.name)}</p>
      )}
      {profile.profile === "sssc" && (
        <>
          <h4>{t.audit.elements}</h4>
          <ul class="plain-list">
            {profile.elements.map((element) => (
              <li key={element.code}>
                {element.code} {element.title}: {element.covered ? `✓ ${t.progress.covered}` : t.progress.notCovered}
              </li>
            ))}
          </ul>
          <p>
            {t.audit.verification}: {profile.verification}
          </p>
        </>
      )}
      {profile.profile === "hcpc" && (
        <>
          <p>{t.audit.summaryWords(profile.summary_of_practice.words, profile.summary_of_practice.word_limit)}</p>
          <GapLines heading={t.audit.gapsToExplain} gaps={profile.gaps_needing_explanation} />
          <GapLines heading={t.audit.explainedGaps} gaps={profile.explained_gaps} />
          <EntryTitles heading={t.audit.sections.suggested_entries} entries={profile.statement.suggested_entries} />
        </>
      )}
      {sections.map((key) => (
        <EntryTitles key={key} heading={t.audit.sections[key]} entries={fields[key] as ProfileEntry[]} />
      ))}
    </>
  );
}

export function AuditProfile({ registrationId }: { registrationId: string }) {
  const { api } = useApp();
  const profile = useRemote(
    () =>
      need<Profile>(
        api.GET("/v1/me/registrations/{registration_id}/audit-profile", {
          params: { path: { registration_id: registrationId } },
        }),
        t.online.unreachable,
      ),
    [registrationId],
  );
  const value = profile.value;
  return (
    <section class="panel" aria-labelledby={`audit-${registrationId}`}>
      <h3 id={`audit-${registrationId}`}>{t.audit.heading}</h3>
      <ErrorMessage>{profile.error}</ErrorMessage>
      {!value ? (
        profile.loading && <p>{t.online.loading}</p>
      ) : (
        <>
          <p>
            {t.audit.asOf(day(value.as_of))}: {value.pack_title} ({value.edition}).{" "}
            {t.progress.period(day(value.period.start), day(value.period.end))}.
          </p>
          <p>
            {t.progress.overall}: <StatusBadge status={value.status} />
          </p>
          <h4>{t.audit.requirements}</h4>
          <ul class="plain-list">
            {value.requirements.map((line) => (
              <li key={line.id}>
                {line.title}: {amount(line.unit, line.achieved)} / {amount(line.unit, line.required)}{" "}
                <StatusBadge status={line.status} />
              </li>
            ))}
          </ul>
          <Details profile={value} />
        </>
      )}
    </section>
  );
}
