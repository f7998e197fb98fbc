/**
 * What the service worker shows for a push from cpl (src/cpl/push/sending.py): the payload is
 * `{title, body, url, tag}`; the screen it opens is always one of the app's own (a path under
 * /app/), whatever the payload says, and the notifications screen when it names none.
 */
export const FALLBACK_SCREEN = "/app/notifications";

export interface PushedNotification {
  title: string;
  body: string;
  tag?: string;
  /** The app screen to open, as a path under /app/. */
  url: string;
}

function text(value: unknown): string {
  return typeof value === "string" ? value : "";
}

/** An app screen's path, or the notifications screen for anything else (another origin, a script URL). */
export function appScreen(url: unknown): string {
  const path = text(url);
  return /^\/app\/[A-Za-z0-9/_-]*$/.test(path) ? path : FALLBACK_SCREEN;
}

/** The notification a push payload (parsed JSON, or anything unreadable) asks for. */
export function pushedNotification(payload: unknown, fallbackTitle: string): PushedNotification {
  const fields = payload && typeof payload === "object" ? (payload as Record<string, unknown>) : {};
  return {
    title: text(fields.title) || fallbackTitle,
    body: text(fields.body),
    tag: text(fields.tag) || undefined,
    url: appScreen(fields.url),
  };
}
