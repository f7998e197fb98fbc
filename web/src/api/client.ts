/**
 * The typed client for cpl's /v1 API. Types come from web/openapi.json (generated into
 * schema.d.ts at build time), so a changed route breaks the build rather than the worker.
 *
 * Every request carries `X-CPL-App: 1` and same-origin credentials: the session lives in an
 * HttpOnly cookie set at sign-in, which the server accepts only with that header (its CSRF
 * guard). The app never sees a token.
 */
import createClient from "openapi-fetch";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];
export type EvidenceContent = Schemas["EvidenceContent"];
export type EntryIn = Schemas["EntryIn"];
export type EvidenceOut = Schemas["EvidenceOut"];
export type AttachmentOut = Schemas["AttachmentOut"];
export type SyncPage = Schemas["SyncPage"];
export type Account = Schemas["AccountOut"];

export const APP_HEADER = { "X-CPL-App": "1" } as const;

/** An RFC 9457 problem document, as every cpl error is. */
export interface Problem {
  /** `about:blank`, or a kind the app acts on ({@link SECOND_FACTOR_REQUIRED}). */
  type?: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

/** The problem type of a refusal that a second factor would lift (admins and reviewers need one). */
export const SECOND_FACTOR_REQUIRED = "urn:cpl:problem:second-factor-required";

export interface ApiOptions {
  /** Absolute origin in tests; the page's own origin in the app and service worker. */
  baseUrl: string;
  fetch: (input: Request) => Promise<Response>;
}

export type ApiClient = ReturnType<typeof createApi>;

export function createApi(options: ApiOptions) {
  return createClient<paths>({
    baseUrl: options.baseUrl,
    fetch: options.fetch,
    credentials: "same-origin",
    headers: APP_HEADER,
  });
}

/** The client the app and its service worker use: same origin, the real network. */
export function defaultApiOptions(): ApiOptions {
  return { baseUrl: self.location.origin, fetch: (request) => fetch(request) };
}

/** A human sentence for a refusal: the server's detail and the fields it names. */
export function problemMessage(problem: Problem): string {
  const fields = (problem.errors ?? []).map((error) => `${error.field}: ${error.message}`);
  return [problem.detail || problem.title, ...fields].filter(Boolean).join(" — ");
}

export function asProblem(body: unknown, status: number): Problem {
  if (body && typeof body === "object" && "title" in body) {
    return { ...(body as Problem), status };
  }
  return { title: `HTTP ${status}`, status };
}

/** `"3"` → 3: the entry's version from an ETag. */
export function versionFromEtag(etag: string | null): number | null {
  const match = etag?.match(/^"(\d+)"$/);
  return match ? Number(match[1]) : null;
}
