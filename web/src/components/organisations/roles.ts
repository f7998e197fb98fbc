/**
 * The roles each kind of organisation has, as the API's `ROLES_OF_KIND` (cpl.organisations.schemas):
 * employers supervise, regulators audit; workers and admins belong to either. The first is the one
 * an invitation offers first.
 */
import type { Schemas } from "../../api/client";

export type Role = Schemas["InvitationIn"]["role"];

export const ROLES_OF_KIND: Record<string, Role[]> = {
  employer: ["worker", "supervisor", "admin"],
  regulator: ["auditor", "worker", "admin"],
};

export function rolesOf(kind: string): Role[] {
  return ROLES_OF_KIND[kind] ?? ROLES_OF_KIND.employer;
}
