/**
 * Supervision links: linking a current supervisor to a current worker, and ending a link (the
 * worker's shares with that supervisor there stop granting anything).
 */
import { useState } from "preact/hooks";
import type { Schemas } from "../../api/client";
import { need } from "../../api/remote";
import { useApp } from "../../services";
import { t } from "../../strings";
import { Select } from "../fields";
import { useAction, useRemote } from "../remote/hooks";
import { AdminError } from "./AdminError";
import type { Person } from "./Members";

type Link = Schemas["SupervisionLinkOut"];

export function SupervisionLinks({ organisationId, members }: { organisationId: string; members: Person[] }) {
  const { api } = useApp();
  const path = { params: { path: { organisation_id: organisationId } } };
  const links = useRemote(
    () => need<Link[]>(api.GET("/v1/organisations/{organisation_id}/supervision-links", path), t.online.unreachable),
    [api, organisationId],
  );
  const supervisors = members.filter((person) => person.roles.includes("supervisor"));
  const workers = members.filter((person) => person.roles.includes("worker"));
  const [supervisor, setSupervisor] = useState("");
  const [worker, setWorker] = useState("");
  const action = useAction();
  const current = (links.value ?? []).filter((item) => !item.ended_at);
  const chosenSupervisor = supervisor || supervisors[0]?.id || "";
  const chosenWorker = worker || workers[0]?.id || "";

  async function link(event: Event) {
    event.preventDefault();
    const body = { supervisor_id: chosenSupervisor, worker_id: chosenWorker };
    const request = api.POST("/v1/organisations/{organisation_id}/supervision-links", { ...path, body });
    if (await action.run(() => need(request, t.online.unreachable))) await links.reload();
  }
  async function end(item: Link) {
    const request = api.DELETE("/v1/organisations/{organisation_id}/supervision-links/{link_id}", {
      params: { path: { organisation_id: organisationId, link_id: item.id } },
    });
    if (await action.run(() => need(request, t.online.unreachable))) await links.reload();
  }
  const option = (person: Person): [string, string] => [person.id, person.name];
  return (
    <section aria-labelledby="supervision-heading">
      <h2 id="supervision-heading">{t.organisations.supervisionHeading}</h2>
      <AdminError message={action.error || links.error} />
      {current.length === 0 ? (
        <p>{t.organisations.noLinks}</p>
      ) : (
        <ul class="plain-list">
          {current.map((item) => (
            <li key={item.id}>
              {item.supervisor_name} → {item.worker_name}
              <div class="actions">
                <button type="button" disabled={action.busy} onClick={() => end(item)}>
                  {t.organisations.endLink(item.supervisor_name, item.worker_name)}
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {supervisors.length > 0 && workers.length > 0 && (
        <form onSubmit={link} class="panel">
          <Select
            id="link-supervisor"
            label={t.organisations.supervisor}
            value={chosenSupervisor}
            onChange={setSupervisor}
            options={supervisors.map(option)}
          />
          <Select
            id="link-worker"
            label={t.organisations.worker}
            value={chosenWorker}
            onChange={setWorker}
            options={workers.map(option)}
          />
          <button type="submit" class="primary" disabled={action.busy}>
            {t.organisations.link}
          </button>
        </form>
      )}
    </section>
  );
}
