/**
 * Signing in and out. The server sets (and clears) the HttpOnly session cookie; the app only
 * learns who is signed in, from `GET /v1/me`, and keeps that in IndexedDB to start offline.
 */
import { asProblem, problemMessage, type Account, type ApiClient } from "./client";

export type AuthAnswer = { account: Account } | { error: string };
/** After sign-up: signed in, refused, or "read your mail" (the address may already have an account). */
export type SignUpAnswer = AuthAnswer | { checkMail: true };

/** A sign-in may also stop halfway: the password was right, and the account's second factor is on. */
export type SignInAnswer = AuthAnswer | { challenge: string };

/** "Phone app on Android": how this device appears in the worker's list of sessions. */
export function deviceName(userAgent: string): string {
  const platforms = ["Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux", "CrOS"];
  const platform = platforms.find((name) => userAgent.includes(name)) ?? "the web";
  return `cpl app on ${platform}`;
}

export async function signIn(api: ApiClient, email: string, password: string): Promise<SignInAnswer> {
  const { data, error, response } = await api.POST("/v1/auth/login", {
    body: { email, password, device_name: deviceName(navigator.userAgent) },
  });
  if (data && "challenge" in data) return { challenge: data.challenge };
  return data ? { account: data.account } : { error: problemMessage(asProblem(error, response.status)) };
}

/**
 * The sign-in's second step: six digits from the authenticator app, or (anything else) one of
 * the recovery codes, sent with the challenge the password step answered.
 */
export async function signInWithCode(api: ApiClient, challenge: string, typed: string): Promise<AuthAnswer> {
  const entered = typed.trim();
  const digits = entered.replace(/\s/g, "");
  const proof = /^[0-9]{6}$/.test(digits) ? { code: digits } : { recovery_code: entered };
  const { data, error, response } = await api.POST("/v1/auth/login/second-factor", { body: { challenge, ...proof } });
  return data ? { account: data.account } : { error: problemMessage(asProblem(error, response.status)) };
}

/**
 * Sign up, then sign in with the same password. Sign-up answers the same whether or not the
 * address already has an account (it never says which) and mails the address either way; only a
 * new account can then sign in with the password just chosen. If it cannot, the person is told
 * to read their mail, which says what to do.
 */
export async function register(
  api: ApiClient,
  displayName: string,
  email: string,
  password: string,
): Promise<SignUpAnswer> {
  const { error, response } = await api.POST("/v1/auth/register", {
    body: { email, password, display_name: displayName },
  });
  if (!response.ok) return { error: problemMessage(asProblem(error, response.status)) };
  const signedIn = await signIn(api, email, password);
  return "account" in signedIn ? signedIn : { checkMail: true };
}

/** Who the session belongs to: an account, "signed_out" (401), or "unknown" when offline. */
export async function whoAmI(api: ApiClient): Promise<Account | "signed_out" | "unknown"> {
  try {
    const { data, response } = await api.GET("/v1/me");
    if (data) return data;
    return response.status === 401 ? "signed_out" : "unknown";
  } catch {
    return "unknown";
  }
}

/** The roles the worker holds in any organisation (supervisor, admin, auditor…), for the navigation. */
export async function myRoles(api: ApiClient): Promise<string[] | null> {
  try {
    const { data } = await api.GET("/v1/organisations");
    return data ? [...new Set(data.flatMap((organisation) => organisation.my_roles))].sort() : null;
  } catch {
    return null;
  }
}

const PENDING_SIGN_OUT = "cpl-sign-out-pending";

/**
 * Sign out on the server, which clears the HttpOnly cookie (page scripts cannot). Offline, the
 * sign-out is remembered and finished at the next start, so the old cookie never signs the
 * worker back in.
 */
export async function signOut(api: ApiClient): Promise<void> {
  localStorage.setItem(PENDING_SIGN_OUT, "1");
  await finishPendingSignOut(api);
}

/** True when the worker signed out on this device (whether or not the server has heard yet). */
export async function finishPendingSignOut(api: ApiClient): Promise<boolean> {
  if (!localStorage.getItem(PENDING_SIGN_OUT)) return false;
  try {
    const { response } = await api.POST("/v1/auth/logout");
    if (response.ok || response.status === 401) localStorage.removeItem(PENDING_SIGN_OUT);
  } catch {
    // Offline: tried again at the next start.
  }
  return true;
}

/** A new sign-in replaces any sign-out still waiting for the network. */
export function forgetPendingSignOut(): void {
  localStorage.removeItem(PENDING_SIGN_OUT);
}
