/**
 * Invitations to join an organisation in a role. Joining is the only way in (`cpl.organisations`),
 * and a worker shares with supervisors only once they belong to the organisation.
 */
import type { Schemas } from "../../api/client";
import { myRoles } from "../../api/auth";
import { need } from "../../api/remote";
import { useApp } from "../../services";
import { t } from "../../strings";
import { ErrorMessage } from "../fields";
import { useAction, useRemote } from "../remote/hooks";

type Invitation = Schemas["InvitationOut"];

export function Invitations() {
  const { api, session, setSession } = useApp();
  const invitations = useRemote(() => need<Invitation[]>(api.GET("/v1/invitations"), t.online.unreachable), [api]);
  const action = useAction();
  const pending = (invitations.value ?? []).filter((item) => !item.accepted_at && !item.cancelled_at);
  if (pending.length === 0 && !action.error) return null;

  async function answer(invitation: Invitation, verb: "accept" | "decline") {
    const request = api.POST(`/v1/invitations/{invitation_id}/${verb}`, {
      params: { path: { invitation_id: invitation.id } },
    });
    if (!(await action.run(() => need(request, t.online.unreachable)))) return;
    await invitations.reload();
    const roles = await myRoles(api);
    if (session && roles) setSession({ ...session, roles });
  }

  return (
    <section aria-labelledby="invitations-heading">
      <h2 id="invitations-heading">{t.invitations.heading}</h2>
      <ErrorMessage>{action.error}</ErrorMessage>
      <ul class="plain-list">
        {pending.map((invitation) => {
          const role = t.invitations.roles[invitation.role] ?? invitation.role;
          return (
            <li key={invitation.id}>
              {t.invitations.invited(invitation.organisation_name, role)}
              <div class="actions">
                <button
                  type="button"
                  class="primary"
                  disabled={action.busy}
                  onClick={() => answer(invitation, "accept")}
                >
                  {t.invitations.accept(invitation.organisation_name)}
                </button>
                <button type="button" disabled={action.busy} onClick={() => answer(invitation, "decline")}>
                  {t.invitations.decline(invitation.organisation_name)}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
