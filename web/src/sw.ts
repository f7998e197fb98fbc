/// <reference lib="webworker" />
/**
 * The service worker: precaches the app shell (so the app starts with no network after the
 * first visit), answers every navigation under /app/ with index.html (client-side routes),
 * flushes the outbox from Background Sync when the browser has it, shows cpl's pushed
 * notifications and, when one is tapped, opens the screen it is about (in an open app window
 * if there is one).
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { createApi, defaultApiOptions } from "./api/client";
import { createUploader } from "./api/upload";
import { CplDatabase } from "./db/db";
import { t } from "./strings";
import { BACKGROUND_SYNC_TAG, SyncEngine } from "./sync/engine";
import { FALLBACK_SCREEN, appScreen, pushedNotification } from "./webpush/message";

declare const self: ServiceWorkerGlobalScope;

interface SyncEvent extends ExtendableEvent {
  readonly tag: string;
}

precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
registerRoute(new NavigationRoute(createHandlerBoundToURL("/app/index.html"), { allowlist: [/^\/app\//] }));

self.addEventListener("install", () => void self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("sync", (event) => {
  const sync = event as SyncEvent;
  if (sync.tag !== BACKGROUND_SYNC_TAG) return;
  const options = defaultApiOptions();
  const engine = new SyncEngine(new CplDatabase(), createApi(options), createUploader(options));
  sync.waitUntil(
    engine.sync().then((outcome) => {
      if (outcome === "offline" || outcome === "server_busy") throw new Error(`sync ${outcome}; retry later`);
    }),
  );
});

function pushPayload(event: PushEvent): unknown {
  try {
    return event.data?.json();
  } catch {
    return null; // unreadable: shown with the fallback title, opening the notifications screen
  }
}

self.addEventListener("push", (event) => {
  const shown = pushedNotification(pushPayload(event), t.push.fallbackTitle);
  event.waitUntil(
    self.registration.showNotification(shown.title, {
      body: shown.body,
      tag: shown.tag,
      icon: "/app/icons/icon-192.png",
      data: { url: shown.url },
    }),
  );
});

/** Focus an open app window on the screen, or open one. */
async function openScreen(path: string): Promise<void> {
  const url = new URL(path, self.location.origin).href;
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const open = windows.find((client) => new URL(client.url).pathname.startsWith("/app/"));
  if (open) {
    const focused = await open.focus();
    await focused.navigate(url);
    return;
  }
  await self.clients.openWindow(url);
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data as { url?: unknown } | null;
  event.waitUntil(openScreen(data ? appScreen(data.url) : FALLBACK_SCREEN));
});
