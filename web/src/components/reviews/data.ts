/**
 * What the review screens read from the API: my supervisors, the organisations I work for,
 * my shares, my submissions (every page), an entry's verifications.
 */
import type { ApiClient, Schemas } from "../../api/client";
import { need } from "../../api/remote";
import { t } from "../../strings";

export type SupervisionLink = Schemas["SupervisionLinkOut"];
export type Organisation = Schemas["OrganisationOut"];
export type Share = Schemas["sharing_schemas_ShareOut"];
export type Review = Schemas["ReviewOut"];
export type ReviewDetail = Schemas["ReviewDetailOut"];
export type Verification = Schemas["reviews_schemas_VerificationOut"];

const offline = t.online.unreachable;

/** The supervisors who supervise me now (links that have not ended). */
export async function mySupervisors(api: ApiClient, me: string): Promise<SupervisionLink[]> {
  const links = await need<SupervisionLink[]>(api.GET("/v1/me/supervision"), offline);
  return links.filter((link) => link.worker_id === me && link.ended_at === null);
}

/** Organisations where I hold the worker role: I may share with them. */
export async function myEmployers(api: ApiClient): Promise<Organisation[]> {
  const organisations = await need<Organisation[]>(api.GET("/v1/organisations"), offline);
  return organisations.filter((organisation) => organisation.my_roles.includes("worker"));
}

export async function myShares(api: ApiClient): Promise<Share[]> {
  return need<Share[]>(api.GET("/v1/shares"), offline);
}

/** Every review I submitted (all pages), newest first as the server lists them. */
export async function mySubmissions(api: ApiClient): Promise<Review[]> {
  const reviews: Review[] = [];
  let cursor: string | undefined;
  do {
    const page = await need(api.GET("/v1/reviews/submitted", { params: { query: { limit: 200, cursor } } }), offline);
    reviews.push(...page.items);
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  return reviews;
}

/** The reviews waiting for me as a reviewer (the first page). */
export async function myQueue(api: ApiClient): Promise<Review[]> {
  return (await need(api.GET("/v1/reviews", { params: { query: { limit: 200 } } }), offline)).items;
}

export async function verificationsOf(api: ApiClient, entryId: string): Promise<Verification[]> {
  return need<Verification[]>(
    api.GET("/v1/evidence/{entry_id}/verifications", { params: { path: { entry_id: entryId } } }),
    offline,
  );
}
