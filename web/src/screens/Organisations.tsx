/**
 * Organisations I belong to, with my roles; creating one (its creator becomes its admin), and for
 * each one I administer, a link to its members, invitations and supervision links; whether I
 * receive suggested entries from each. Online only.
 */
import { useState } from "preact/hooks";
import type { Schemas } from "../api/client";
import { myRoles } from "../api/auth";
import { need } from "../api/remote";
import { ErrorMessage, Select, TextField } from "../components/fields";
import { SuggestionConsents } from "../components/organisations/SuggestionConsents";
import { OnlineOnlyNote } from "../components/remote/OnlineOnly";
import { useAction, useRemote } from "../components/remote/hooks";
import { paths } from "../routes";
import { useApp } from "../services";
import { t } from "../strings";

type Organisation = Schemas["OrganisationOut"];

function CreateForm({ onCreated }: { onCreated: () => Promise<void> }) {
  const { api } = useApp();
  const [name, setName] = useState("");
  const [kind, setKind] = useState("employer");
  const action = useAction();
  async function create(event: Event) {
    event.preventDefault();
    const request = api.POST("/v1/organisations", { body: { name, kind: kind as "employer" | "regulator" } });
    if (await action.run(() => need(request, t.online.unreachable))) {
      setName("");
      await onCreated();
    }
  }
  return (
    <form onSubmit={create} class="panel" aria-labelledby="organisation-create">
      <h2 id="organisation-create">{t.organisations.create}</h2>
      <ErrorMessage>{action.error}</ErrorMessage>
      <TextField id="organisation-name" label={t.organisations.name} required value={name} onInput={setName} />
      <Select
        id="organisation-kind"
        label={t.organisations.kind}
        value={kind}
        onChange={setKind}
        options={Object.entries(t.organisations.kinds)}
      />
      <button type="submit" class="primary" disabled={action.busy || !name.trim()}>
        {t.organisations.createButton}
      </button>
    </form>
  );
}

export function OrganisationsScreen() {
  const { api, session, setSession } = useApp();
  const mine = useRemote(() => need<Organisation[]>(api.GET("/v1/organisations"), t.online.unreachable), [api]);
  async function created() {
    await mine.reload();
    const roles = await myRoles(api);
    if (session && roles) setSession({ ...session, roles });
  }
  return (
    <>
      <h1>{t.organisations.heading}</h1>
      <p>{t.organisations.intro}</p>
      <OnlineOnlyNote />
      <ErrorMessage>{mine.error}</ErrorMessage>
      {mine.value &&
        (mine.value.length === 0 ? (
          <p>{t.organisations.none}</p>
        ) : (
          <ul class="plain-list">
            {mine.value.map((organisation) => (
              <li key={organisation.id}>
                <strong>{organisation.name}</strong> ({t.organisations.kinds[organisation.kind] ?? organisation.kind}
                ). {t.organisations.myRoles(organisation.my_roles.join(", "))}
                {organisation.my_roles.includes("admin") && (
                  <div class="actions">
                    <a href={paths.organisation(organisation.id)}>{t.organisations.administer(organisation.name)}</a>
                  </div>
                )}
              </li>
            ))}
          </ul>
        ))}
      {mine.value && <SuggestionConsents organisations={mine.value} />}
      <CreateForm onCreated={created} />
    </>
  );
}
