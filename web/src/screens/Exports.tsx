/**
 * Exports: start one, watch its job until it is ready or failed (the list is asked again every
 * few seconds while a job runs), download it, and share it by link. Online only.
 */
import { useEffect } from "preact/hooks";
import type { Schemas } from "../api/client";
import { need } from "../api/remote";
import { ExportForm } from "../components/exports/ExportForm";
import { ExportItem } from "../components/exports/ExportItem";
import { ErrorMessage } from "../components/fields";
import { useRemote } from "../components/remote/hooks";
import { OnlineOnlyNote } from "../components/remote/OnlineOnly";
import { useApp } from "../services";
import { t } from "../strings";

type Export = Schemas["ExportOut"];
/** How often a running job is asked about. */
const WATCH_EVERY_MS = 2_000;

export function ExportsScreen() {
  const { api } = useApp();
  const exports = useRemote(async () => (await need(api.GET("/v1/exports"), t.online.unreachable)).items, [api]);
  const running = (exports.value ?? []).some((item: Export) => item.status === "queued" || item.status === "running");

  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => void exports.reload(), WATCH_EVERY_MS);
    return () => clearInterval(timer);
  }, [running, exports.reload]);

  return (
    <>
      <h1>{t.exports.heading}</h1>
      <p>{t.exports.intro}</p>
      <OnlineOnlyNote />
      <ExportForm onCreated={() => void exports.reload()} />
      <h2>{t.exports.listHeading}</h2>
      <ErrorMessage>{exports.error}</ErrorMessage>
      {exports.value?.length === 0 && <p>{t.exports.none}</p>}
      <ul class="plain-list">
        {(exports.value ?? []).map((item) => (
          <ExportItem key={item.id} item={item} onChanged={exports.reload} />
        ))}
      </ul>
    </>
  );
}
