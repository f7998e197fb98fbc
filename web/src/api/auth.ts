/**
 * Signing in and out. The server sets (and clears) the HttpOnly session cookie; the app only
 * learns who is signed in, from `GET /v1/me`, and keeps that in IndexedDB to start offline.
 */
import { asProblem, problemMessage, type Account, type ApiClient } from "./client";

export type AuthAnswer = { account: Account } | { error: string };

/** "Phone app on Android": how this device appears in the worker's list of sessions. */
export function deviceName(userAgent: string): string {
  const platforms = ["Android", "iPhone", "iPad", "Windows", "Mac OS", "Linux", "CrOS"];
  const platform = platforms.find((name) => userAgent.includes(name)) ?? "the web";
  return `cpl app on ${platform}`;
}

export async function signIn(api: ApiClient, email: string, password: string): Promise<AuthAnswer> {
  const { data, error, response } = await api.POST("/v1/auth/login", {
    body: { email, password, device_name: deviceName(navigator.userAgent) },
  });
  return data ? { account: data.account } : { error: problemMessage(asProblem(error, response.status)) };
}

export async function register(
  api: ApiClient,
  displayName: string,
  email: string,
  password: string,
): Promise<AuthAnswer> {
  const { data, error, response } = await api.POST("/v1/auth/register", {
    body: { email, password, display_name: displayName, device_name: deviceName(navigator.userAgent) },
  });
  return data ? { account: data.account } : { error: problemMessage(asProblem(error, response.status)) };
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

export async function signOut(api: ApiClient): Promise<void> {
  await api.POST("/v1/auth/logout");
}
