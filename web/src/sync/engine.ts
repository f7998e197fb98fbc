/**
 * The sync engine: send the outbox, upload files whose entries now exist, then pull what
 * changed elsewhere. It runs when the app starts, when the browser comes back online, every
 * minute while the app is open, and from the service worker's Background Sync. Runs never
 * overlap: within a page one run at a time, and across tabs and the service worker through a
 * Web Lock where the browser has them (the server's idempotent writes make an overlap harmless
 * anyway, only wasteful).
 */
import type { ApiClient } from "../api/client";
import type { Uploader } from "../api/upload";
import type { CplDatabase } from "../db/db";
import { resetInterruptedUploads, uploadFiles } from "./files";
import { pullChanges } from "./pull";
import { pushOutbox } from "./push";
import type { StepResult } from "./result";

export const SYNC_INTERVAL_MS = 60_000;
export const BACKGROUND_SYNC_TAG = "cpl-outbox";

export interface UploadProgress {
  fileId: string;
  fraction: number;
}

export class SyncEngine extends EventTarget {
  private running: Promise<StepResult> | null = null;
  private again = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly onOnline = () => void this.sync();

  constructor(
    private readonly db: CplDatabase,
    private readonly api: ApiClient,
    private readonly upload: Uploader,
  ) {
    super();
  }

  /** One full round; a call during a run asks for one more round after it. */
  sync(): Promise<StepResult> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.locked(() => this.rounds()).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Start the triggers of a page: now, on `online`, and every minute. */
  start(): void {
    void resetInterruptedUploads(this.db).then(() => this.sync());
    globalThis.addEventListener("online", this.onOnline);
    this.timer = setInterval(this.onOnline, SYNC_INTERVAL_MS);
  }

  stop(): void {
    globalThis.removeEventListener("online", this.onOnline);
    clearInterval(this.timer);
  }

  private async rounds(): Promise<StepResult> {
    let outcome: StepResult;
    do {
      this.again = false;
      outcome = await this.round();
    } while (this.again && outcome === "done");
    this.dispatchEvent(new CustomEvent<StepResult>("synced", { detail: outcome }));
    return outcome;
  }

  private async round(): Promise<StepResult> {
    const progress = (fileId: string, fraction: number) =>
      this.dispatchEvent(new CustomEvent<UploadProgress>("progress", { detail: { fileId, fraction } }));
    const steps = [
      () => pushOutbox(this.api, this.db),
      () => uploadFiles(this.api, this.db, this.upload, progress),
      () => pullChanges(this.api, this.db),
    ];
    for (const step of steps) {
      const outcome = await step();
      if (outcome !== "done") return outcome;
    }
    return "done";
  }

  private locked<T>(work: () => Promise<T>): Promise<T> {
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    return locks ? (locks.request("cpl-sync", work) as Promise<T>) : work();
  }
}
