/**
 * Administering one organisation: inviting by e-mail, its members and their roles, supervision
 * links, credentials for its learning system (xAPI). Every call needs a session opened with the admin's second factor; without one the
 * screen says so and links to where it is set up. Online only.
 */
import { useState } from "preact/hooks";
import type { Schemas } from "../api/client";
import { need } from "../api/remote";
import { AdminError } from "../components/organisations/AdminError";
import { Invite } from "../components/organisations/Invite";
import { LrsCredentials } from "../components/organisations/LrsCredentials";
import { Members, people, type Member } from "../components/organisations/Members";
import { SupervisionLinks } from "../components/organisations/SupervisionLinks";
import { OnlineOnlyNote } from "../components/remote/OnlineOnly";
import { useRemote } from "../components/remote/hooks";
import { paths } from "../routes";
import { useApp } from "../services";
import { t } from "../strings";

type Organisation = Schemas["OrganisationOut"];

export function OrganisationScreen({ id }: { id: string }) {
  const { api } = useApp();
  const path = { params: { path: { organisation_id: id } } };
  const organisation = useRemote(
    () => need<Organisation>(api.GET("/v1/organisations/{organisation_id}", path), t.online.unreachable),
    [api, id],
  );
  const members = useRemote(
    () => need<Member[]>(api.GET("/v1/organisations/{organisation_id}/members", path), t.online.unreachable),
    [api, id],
  );
  const current = people(members.value ?? []);
  // A change of roles may end supervision links: the links are read again after it.
  const [revision, setRevision] = useState(0);
  async function changed() {
    await members.reload();
    setRevision((value) => value + 1);
  }
  const name = organisation.value?.name ?? "";
  return (
    <>
      <p>
        <a href={paths.organisations}>{t.organisations.back}</a>
      </p>
      <h1>{t.organisations.adminHeading(name)}</h1>
      <OnlineOnlyNote />
      <AdminError message={organisation.error || members.error} />
      {organisation.value && members.value && (
        <>
          <Invite organisationId={id} kind={organisation.value.kind} />
          <Members organisationId={id} kind={organisation.value.kind} members={current} onChanged={changed} />
          <SupervisionLinks key={revision} organisationId={id} members={current} />
          <LrsCredentials organisationId={id} />
        </>
      )}
    </>
  );
}
