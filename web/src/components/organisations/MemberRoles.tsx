/**
 * One member's roles as checkboxes (the roles the organisation's kind has) and a button that saves
 * them: the roles ticked are the ones they hold from then on (`PUT …/members/{account_id}/roles`).
 * Taking the supervisor or worker role away ends the supervision links held in it; the last admin
 * keeps the admin role (the API refuses, and its reason is shown).
 */
import { useState } from "preact/hooks";
import { need } from "../../api/remote";
import { useApp } from "../../services";
import { t } from "../../strings";
import { Checkbox } from "../fields";
import { useAction } from "../remote/hooks";
import { AdminError } from "./AdminError";
import type { Person } from "./Members";
import { rolesOf, type Role } from "./roles";

export function MemberRoles(props: {
  organisationId: string;
  kind: string;
  person: Person;
  onSaved: () => Promise<void>;
}) {
  const { api } = useApp();
  const { person } = props;
  const [chosen, setChosen] = useState<string[]>(person.roles);
  const [done, setDone] = useState("");
  const action = useAction();
  const roles = rolesOf(props.kind);

  function toggle(role: string, on: boolean) {
    setDone("");
    setChosen(on ? [...chosen.filter((item) => item !== role), role] : chosen.filter((item) => item !== role));
  }
  async function save(event: Event) {
    event.preventDefault();
    const body = { roles: roles.filter((role) => chosen.includes(role)) as Role[] };
    const request = api.PUT("/v1/organisations/{organisation_id}/members/{account_id}/roles", {
      params: { path: { organisation_id: props.organisationId, account_id: person.id } },
      body,
    });
    let saved: { roles: string[]; added: string[]; removed: string[] } | undefined;
    if (await action.run(async () => (saved = await need(request, t.online.unreachable)))) {
      if (!saved) return;
      setChosen(saved.roles);
      const names = saved.roles.map((role) => t.organisations.roleNames[role] ?? role).join(", ");
      const changed = saved.added.length > 0 || saved.removed.length > 0;
      setDone(changed ? t.organisations.rolesSaved(person.name, names) : t.organisations.rolesUnchanged(person.name));
      await props.onSaved();
    }
  }
  const id = `roles-${person.id}`;
  return (
    <form onSubmit={save}>
      <fieldset>
        <legend>{t.organisations.rolesOf(person.name)}</legend>
        {roles.map((role) => (
          <Checkbox
            key={role}
            id={`${id}-${role}`}
            label={t.organisations.roleNames[role] ?? role}
            checked={chosen.includes(role)}
            onChange={(on) => toggle(role, on)}
          />
        ))}
      </fieldset>
      {chosen.length === 0 && <p>{t.organisations.noRoleChosen}</p>}
      <AdminError message={action.error} />
      {done && <p role="status">{done}</p>}
      <button type="submit" disabled={action.busy || chosen.length === 0}>
        {t.organisations.saveRoles(person.name)}
      </button>
    </form>
  );
}
