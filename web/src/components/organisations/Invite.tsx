/**
 * Inviting an e-mail address to a role (the roles the organisation's kind has), and the
 * invitations sent. The invitee joins by accepting from the mailed link or in the app.
 */
import { useState } from "preact/hooks";
import type { Schemas } from "../../api/client";
import { need } from "../../api/remote";
import { useApp } from "../../services";
import { t } from "../../strings";
import { Select, TextField } from "../fields";
import { useAction, useRemote } from "../remote/hooks";
import { AdminError } from "./AdminError";
import { rolesOf, type Role } from "./roles";

type Invitation = Schemas["InvitationOut"];

export function Invite({ organisationId, kind }: { organisationId: string; kind: string }) {
  const { api } = useApp();
  const path = { params: { path: { organisation_id: organisationId } } };
  const sent = useRemote(
    () => need<Invitation[]>(api.GET("/v1/organisations/{organisation_id}/invitations", path), t.online.unreachable),
    [api, organisationId],
  );
  const roles = rolesOf(kind);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<string>(roles[0]);
  const [done, setDone] = useState("");
  const action = useAction();
  async function invite(event: Event) {
    event.preventDefault();
    const body = { email: email.trim(), role: role as Role };
    const request = api.POST("/v1/organisations/{organisation_id}/invitations", { ...path, body });
    if (await action.run(() => need(request, t.online.unreachable))) {
      setDone(t.organisations.invited(body.email));
      setEmail("");
      await sent.reload();
    }
  }
  return (
    <section aria-labelledby="invite-heading">
      <h2 id="invite-heading">{t.organisations.invite}</h2>
      <form onSubmit={invite} class="panel">
        <AdminError message={action.error} />
        {done && <p role="status">{done}</p>}
        <TextField id="invite-email" label={t.organisations.email} type="email" required value={email} onInput={setEmail} />
        <Select
          id="invite-role"
          label={t.organisations.role}
          value={role}
          onChange={setRole}
          options={roles.map((name): [string, string] => [name, t.invitations.roles[name] ?? name])}
        />
        <button type="submit" class="primary" disabled={action.busy || !email.trim()}>
          {t.organisations.invite}
        </button>
      </form>
      <h3>{t.organisations.invitationsHeading}</h3>
      <AdminError message={sent.error} />
      <ul class="plain-list">
        {(sent.value ?? []).map((item) => (
          <li key={item.id}>
            {item.email}, {t.invitations.roles[item.role] ?? item.role}:{" "}
            {t.organisations.invitationState(Boolean(item.accepted_at), Boolean(item.cancelled_at))}
          </li>
        ))}
      </ul>
    </section>
  );
}
