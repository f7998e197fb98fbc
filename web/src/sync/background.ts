/** Ask the service worker to flush the outbox when the network returns, where Background Sync exists. */
import { BACKGROUND_SYNC_TAG } from "./engine";

interface SyncManager {
  register(tag: string): Promise<void>;
}

export async function requestBackgroundSync(): Promise<void> {
  const registration = await navigator.serviceWorker?.getRegistration("/app/");
  const sync = (registration as (ServiceWorkerRegistration & { sync?: SyncManager }) | undefined)?.sync;
  await sync?.register(BACKGROUND_SYNC_TAG).catch(() => undefined);
}
