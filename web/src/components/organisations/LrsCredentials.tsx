/**
 * An admin's LRS credentials for the organisation's learning system: create (the secret shown
 * once), list, revoke. Online only.
 */
import { useState } from "preact/hooks";
import type { Schemas } from "../../api/client";
import { need } from "../../api/remote";
import { useApp } from "../../services";
import { t } from "../../strings";
import { ErrorMessage, TextField } from "../fields";
import { useAction, useRemote } from "../remote/hooks";

type Credential = Schemas["LrsCredentialOut"];
type NewCredential = Schemas["NewLrsCredentialOut"];

export function LrsCredentials({ organisationId }: { organisationId: string }) {
  const { api } = useApp();
  const path = { params: { path: { organisation_id: organisationId } } };
  const list = useRemote(
    () =>
      need<Credential[]>(api.GET("/v1/organisations/{organisation_id}/lrs-credentials", path), t.online.unreachable),
    [api, organisationId],
  );
  const [label, setLabel] = useState("");
  const [made, setMade] = useState<NewCredential | null>(null);
  const action = useAction();

  async function create(event: Event) {
    event.preventDefault();
    const request = api.POST("/v1/organisations/{organisation_id}/lrs-credentials", { ...path, body: { label } });
    const done = await action.run(async () => setMade(await need<NewCredential>(request, t.online.unreachable)));
    if (done) {
      setLabel("");
      await list.reload();
    }
  }

  async function revoke(credential: Credential) {
    const request = api.DELETE("/v1/organisations/{organisation_id}/lrs-credentials/{credential_id}", {
      params: { path: { organisation_id: organisationId, credential_id: credential.id } },
    });
    if (await action.run(() => need(request, t.online.unreachable))) await list.reload();
  }

  return (
    <section class="panel" aria-labelledby="lrs-heading">
      <h2 id="lrs-heading">{t.lrs.heading}</h2>
      <p>{t.lrs.intro}</p>
      <ErrorMessage>{list.error || action.error}</ErrorMessage>
      {made && (
        <dl class="facts" role="status">
          <dt>{t.lrs.endpoint}</dt>
          <dd>{made.endpoint}</dd>
          <dt>{t.lrs.key}</dt>
          <dd>{made.key}</dd>
          <dt>{t.lrs.secret}</dt>
          <dd>{made.secret}</dd>
          <dd>{t.lrs.shownOnce}</dd>
        </dl>
      )}
      {list.value && list.value.length === 0 && <p>{t.lrs.none}</p>}
      <ul class="plain-list">
        {(list.value ?? []).map((credential) => (
          <li key={credential.id}>
            <strong>{credential.label}</strong> ({credential.key}){credential.revoked_at && ` — ${t.lrs.revoked}`}
            {!credential.revoked_at && (
              <button type="button" disabled={action.busy} onClick={() => revoke(credential)}>
                {t.lrs.revoke(credential.label)}
              </button>
            )}
          </li>
        ))}
      </ul>
      <form onSubmit={create}>
        <TextField id="lrs-label" label={t.lrs.label} required value={label} onInput={setLabel} />
        <button type="submit" disabled={action.busy || !label.trim()}>
          {t.lrs.create}
        </button>
      </form>
    </section>
  );
}
