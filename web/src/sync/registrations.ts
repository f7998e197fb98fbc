/**
 * The phone's copy of the worker's registrations, which the editor reads to choose its
 * reflection prompts (NMC, Social Work England, SSSC; general otherwise). Kept whenever the
 * registrations are read from the server, so the prompts follow them offline too.
 */
import type { ApiClient, Schemas } from "../api/client";
import { META, writeMeta, type CplDatabase } from "../db/db";

export type Registration = Schemas["RegistrationOut"];

export async function keepRegistrations(db: CplDatabase, registrations: Registration[]): Promise<void> {
  await writeMeta(db, META.registrations, registrations);
}

/** Reads the registrations from the server and keeps them; offline, the copy stays as it was. */
export async function refreshRegistrations(db: CplDatabase, api: ApiClient): Promise<void> {
  try {
    const { data } = await api.GET("/v1/me/registrations");
    if (data) await keepRegistrations(db, data);
  } catch {
    // No connection: the phone keeps the registrations it last read.
  }
}
