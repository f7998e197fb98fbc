/**
 * The organisation's current members, each with their roles to change (`MemberRoles`), and removing
 * one (every role, every supervision link through the organisation and every share with it end;
 * their record stays theirs). One card per person rather than a table, so it fits a phone.
 */
import type { Schemas } from "../../api/client";
import { need } from "../../api/remote";
import { useApp } from "../../services";
import { t } from "../../strings";
import { useAction } from "../remote/hooks";
import { AdminError } from "./AdminError";
import { MemberRoles } from "./MemberRoles";

export type Member = Schemas["MemberOut"];

export interface Person {
  id: string;
  name: string;
  email: string;
  roles: string[];
}

/** One line per person (the API answers one row per role held). */
export function people(members: Member[]): Person[] {
  const found = new Map<string, Person>();
  for (const member of members) {
    if (member.left_at) continue;
    const person = found.get(member.account_id) ?? {
      id: member.account_id,
      name: member.display_name,
      email: member.email,
      roles: [],
    };
    person.roles.push(member.role);
    found.set(member.account_id, person);
  }
  return [...found.values()].sort((a, b) => a.name.localeCompare(b.name));
}

export function Members(props: {
  organisationId: string;
  kind: string;
  members: Person[];
  onChanged: () => Promise<void>;
}) {
  const { api, session } = useApp();
  const action = useAction();
  async function remove(person: Person) {
    if (!confirm(t.organisations.confirmRemove(person.name))) return;
    const request = api.DELETE("/v1/organisations/{organisation_id}/members/{account_id}", {
      params: { path: { organisation_id: props.organisationId, account_id: person.id } },
    });
    if (await action.run(() => need(request, t.online.unreachable))) await props.onChanged();
  }
  return (
    <section aria-labelledby="members-heading">
      <h2 id="members-heading">{t.organisations.membersHeading}</h2>
      <p>{t.organisations.rolesIntro}</p>
      <AdminError message={action.error} />
      <ul class="plain-list" aria-labelledby="members-heading">
        {props.members.map((person) => (
          <li key={person.id} class="card">
            <h3>{person.name}</h3>
            <p>{person.email}</p>
            <MemberRoles
              organisationId={props.organisationId}
              kind={props.kind}
              person={person}
              onSaved={props.onChanged}
            />
            {person.id !== session?.account.id && (
              <div class="actions">
                <button type="button" disabled={action.busy} onClick={() => remove(person)}>
                  {t.organisations.remove(person.name)}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
