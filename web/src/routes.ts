/**
 * Every screen's address, in one place. A new screen: add its path here, a file in screens/,
 * a <Route> in app.tsx and, if it belongs in the navigation, an entry in NAVIGATION.
 */
import { t } from "./strings";

export const paths = {
  log: "/app/",
  signIn: "/app/sign-in",
  createAccount: "/app/create-account",
  newEntry: "/app/entries/new",
  entry: (id: string) => `/app/entries/${id}`,
  conflict: (id: string) => `/app/conflicts/${id}`,
  account: "/app/account",
  progress: "/app/progress",
  reviews: "/app/reviews",
  review: (id: string) => `/app/reviews/${id}`,
  team: "/app/team",
  entryReview: (id: string) => `/app/entries/${id}/review`,
  exports: "/app/exports",
  notifications: "/app/notifications",
  auditRequests: "/app/audit-requests",
  auditRequest: (id: string) => `/app/audit-requests/${id}`,
  audits: "/app/audits",
  audit: (id: string) => `/app/audits/${id}`,
  organisations: "/app/organisations",
  organisation: (id: string) => `/app/organisations/${id}`,
  workforce: "/app/workforce",
  suggestions: "/app/suggestions",
  suggestion: (id: string) => `/app/suggestions/${id}`,
} as const;

export interface NavEntry {
  href: string;
  label: string;
  /** Shown only to someone holding one of these roles in an organisation; every worker otherwise. */
  roles?: string[];
}

export const NAVIGATION: NavEntry[] = [
  { href: paths.log, label: t.nav.log },
  { href: paths.suggestions, label: t.nav.suggestions },
  { href: paths.progress, label: t.nav.progress },
  { href: paths.reviews, label: t.nav.reviews },
  { href: paths.team, label: t.nav.team, roles: ["supervisor"] },
  { href: paths.exports, label: t.nav.exports },
  { href: paths.notifications, label: t.nav.notifications },
  { href: paths.auditRequests, label: t.nav.auditRequests },
  { href: paths.audits, label: t.nav.audits, roles: ["auditor"] },
  { href: paths.organisations, label: t.nav.organisations },
  { href: paths.workforce, label: t.nav.workforce, roles: ["admin"] },
  { href: paths.account, label: t.nav.account },
];

export function visibleNavigation(roles: string[]): NavEntry[] {
  return NAVIGATION.filter((entry) => !entry.roles || entry.roles.some((role) => roles.includes(role)));
}
