/// <reference lib="webworker" />
/**
 * The service worker: precaches the app shell (so the app starts with no network after the
 * first visit), answers every navigation under /app/ with index.html (client-side routes),
 * and flushes the outbox from Background Sync when the browser has it.
 */
import { cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from "workbox-precaching";
import { NavigationRoute, registerRoute } from "workbox-routing";
import { createApi, defaultApiOptions } from "./api/client";
import { createUploader } from "./api/upload";
import { CplDatabase } from "./db/db";
import { BACKGROUND_SYNC_TAG, SyncEngine } from "./sync/engine";

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
