/**
 * The worker's consent, organisation by organisation, to receive suggested entries from its
 * learning system (`PUT`/`DELETE /v1/me/suggestion-consents/{id}`). Online only.
 */
import type { Schemas } from "../../api/client";
import { need } from "../../api/remote";
import { useApp } from "../../services";
import { t } from "../../strings";
import { Checkbox, ErrorMessage } from "../fields";
import { useAction, useRemote } from "../remote/hooks";

type Organisation = Schemas["OrganisationOut"];
type Consent = Schemas["ConsentOut"];

export function SuggestionConsents({ organisations }: { organisations: Organisation[] }) {
  const { api } = useApp();
  const consents = useRemote(
    () => need<Consent[]>(api.GET("/v1/me/suggestion-consents"), t.online.unreachable),
    [api],
  );
  const action = useAction();
  const agreed = new Set((consents.value ?? []).map((consent) => consent.organisation_id));

  async function change(organisationId: string, receive: boolean) {
    const path = { params: { path: { organisation_id: organisationId } } };
    const request = receive
      ? api.PUT("/v1/me/suggestion-consents/{organisation_id}", path)
      : api.DELETE("/v1/me/suggestion-consents/{organisation_id}", path);
    if (await action.run(() => need(request, t.online.unreachable))) await consents.reload();
  }

  if (organisations.length === 0 || !consents.value) return null;
  return (
    <section class="panel" aria-labelledby="consent-heading">
      <h2 id="consent-heading">{t.consent.heading}</h2>
      <p>{t.consent.intro}</p>
      <ErrorMessage>{consents.error || action.error}</ErrorMessage>
      {organisations.map((organisation) => (
        <Checkbox
          key={organisation.id}
          id={`consent-${organisation.id}`}
          label={t.consent.receive(organisation.name)}
          checked={agreed.has(organisation.id)}
          onChange={(receive) => change(organisation.id, receive)}
        />
      ))}
    </section>
  );
}
