/**
 * This phone's Web Push subscription: turning notifications on asks the browser's permission,
 * subscribes with cpl's VAPID key (GET /v1/push/key) and hands the subscription to cpl
 * (POST /v1/me/push-subscriptions); turning them off deletes it on cpl and in the browser.
 */
import type { ApiClient } from "../api/client";

export type PushState = "unsupported" | "blocked" | "off" | "on";

export class PushRefused extends Error {}

export function pushSupported(): boolean {
  return "serviceWorker" in navigator && "PushManager" in window && "Notification" in window;
}

/** The VAPID key as the bytes `applicationServerKey` takes (it is base64url). */
export function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/").padEnd(Math.ceil(base64url.length / 4) * 4, "=");
  const raw = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(raw.length));
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  return bytes;
}

function sameKey(subscription: PushSubscription, key: Uint8Array): boolean {
  const held = subscription.options.applicationServerKey;
  if (!held) return false;
  const bytes = new Uint8Array(held);
  return bytes.length === key.length && bytes.every((byte, i) => byte === key[i]);
}

async function browserSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.ready;
  return registration.pushManager.getSubscription();
}

/** On when this browser holds a subscription that cpl also holds for this account. */
export async function pushState(api: ApiClient): Promise<PushState> {
  if (!pushSupported()) return "unsupported";
  if (Notification.permission === "denied") return "blocked";
  const subscription = await browserSubscription();
  if (!subscription) return "off";
  const { data } = await api.GET("/v1/me/push-subscriptions");
  return (data ?? []).some((item) => item.endpoint === subscription.endpoint) ? "on" : "off";
}

export async function turnPushOn(api: ApiClient): Promise<PushState> {
  if ((await Notification.requestPermission()) !== "granted") return "blocked";
  const { data: served } = await api.GET("/v1/push/key");
  if (!served) throw new PushRefused("no key");
  const key = keyBytes(served.public_key);
  const registration = await navigator.serviceWorker.ready;
  let subscription = await registration.pushManager.getSubscription();
  if (subscription && !sameKey(subscription, key)) {
    await subscription.unsubscribe(); // made with another key: pushes signed with this one would be refused
    subscription = null;
  }
  subscription ??= await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
  const body = subscription.toJSON() as { endpoint: string; expirationTime?: number | null; keys: { p256dh: string; auth: string } };
  const { error } = await api.POST("/v1/me/push-subscriptions", { body });
  if (error) throw new PushRefused(JSON.stringify(error));
  return "on";
}

export async function turnPushOff(api: ApiClient): Promise<PushState> {
  const subscription = await browserSubscription();
  if (!subscription) return "off";
  const { data } = await api.GET("/v1/me/push-subscriptions");
  const held = (data ?? []).find((item) => item.endpoint === subscription.endpoint);
  if (held) {
    await api.DELETE("/v1/me/push-subscriptions/{subscription_id}", { params: { path: { subscription_id: held.id } } });
  }
  await subscription.unsubscribe();
  return "off";
}
