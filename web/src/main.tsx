/** Start-up: build the services once, render the app, install the service worker, keep the data. */
import { render } from "preact";
import { createApi, defaultApiOptions } from "./api/client";
import { createUploader } from "./api/upload";
import { App } from "./app";
import { CplDatabase } from "./db/db";
import { SyncEngine } from "./sync/engine";
import "./styles.css";

const options = defaultApiOptions();
const db = new CplDatabase();
const api = createApi(options);
const engine = new SyncEngine(db, api, createUploader(options));

render(<App services={{ db, api, engine }} />, document.getElementById("app")!);

if (import.meta.env.PROD && "serviceWorker" in navigator) {
  void navigator.serviceWorker.register("/app/sw.js", { scope: "/app/" });
}
// Ask the browser not to evict the worker's unsent entries under storage pressure.
void navigator.storage?.persist?.();
