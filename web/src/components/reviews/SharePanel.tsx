/**
 * Who can see an entry, and sharing it: with one of my supervisors, or with an organisation I
 * work for (its supervisors, admins and auditors see it). Read-only for them; stopping a share
 * takes effect at once (`cpl.sharing`).
 */
import { useState } from "preact/hooks";
import { need } from "../../api/remote";
import { useApp } from "../../services";
import { t } from "../../strings";
import { ErrorMessage, Select } from "../fields";
import { useAction } from "../remote/hooks";
import type { Organisation, Share, SupervisionLink } from "./data";

interface Props {
  entryId: string;
  shares: Share[];
  supervisors: SupervisionLink[];
  employers: Organisation[];
  onChanged: () => Promise<void>;
}

export function sharedWithLabel(share: Share, supervisors: SupervisionLink[]): string {
  const supervisor = supervisors.find((link) => link.supervisor_id === share.supervisor_id);
  if (!share.supervisor_id) return t.share.everyoneAt(share.organisation_name);
  return t.share.supervisorAt(supervisor?.supervisor_name ?? "", share.organisation_name);
}

export function SharePanel({ entryId, shares, supervisors, employers, onChanged }: Props) {
  const { api } = useApp();
  const options: [string, string][] = [
    ...supervisors.map((link): [string, string] => [
      `${link.organisation_id}:${link.supervisor_id}`,
      t.share.supervisorAt(link.supervisor_name, link.organisation_name),
    ]),
    ...employers.map((organisation): [string, string] => [organisation.id, t.share.everyoneAt(organisation.name)]),
  ];
  const [choice, setChoice] = useState("");
  const action = useAction();
  const inForce = shares.filter((share) => share.ended_at === null);
  const ofEntry = inForce.filter((share) => share.scope === "entries" && share.entry_ids?.includes(entryId));
  const byFilter = inForce.filter((share) => share.scope === "filter");
  const chosen = choice || options[0]?.[0] || "";

  async function share(event: Event) {
    event.preventDefault();
    const [organisation_id, supervisor_id] = chosen.split(":");
    const request = api.POST("/v1/shares", {
      body: { organisation_id, supervisor_id: supervisor_id ?? null, entry_ids: [entryId] },
    });
    if (await action.run(() => need(request, t.online.unreachable))) await onChanged();
  }

  async function stop(share: Share) {
    const request = api.DELETE("/v1/shares/{share_id}", { params: { path: { share_id: share.id } } });
    if (await action.run(() => need(request, t.online.unreachable))) await onChanged();
  }

  return (
    <section aria-labelledby="shares-heading">
      <h2 id="shares-heading">{t.share.sharesHeading}</h2>
      {ofEntry.length === 0 && <p>{t.share.noShares}</p>}
      <ul class="plain-list">
        {ofEntry.map((item) => {
          const who = sharedWithLabel(item, supervisors);
          return (
            <li key={item.id}>
              <span>{t.share.sharedWith(who)}</span>{" "}
              <button type="button" class="link" disabled={action.busy} onClick={() => stop(item)}>
                {t.share.stopSharing(who)}
              </button>
            </li>
          );
        })}
        {byFilter.map((item) => (
          <li key={item.id}>
            {t.share.sharedWith(sharedWithLabel(item, supervisors))}, {t.share.byFilter}
          </li>
        ))}
      </ul>
      <h2>{t.share.shareHeading}</h2>
      {options.length === 0 ? (
        <p>{t.share.noSupervisor}</p>
      ) : (
        <form onSubmit={share}>
          <Select id="share-with" label={t.share.with} value={chosen} onChange={setChoice} options={options} />
          <button type="submit" class="primary" disabled={action.busy}>
            {t.share.shareButton}
          </button>
        </form>
      )}
      <ErrorMessage>{action.error}</ErrorMessage>
    </section>
  );
}
