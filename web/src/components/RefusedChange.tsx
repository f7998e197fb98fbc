/** A change the server refused: its message, and the way out (fix and save again, or discard). */
import { entryFromServer, discardChange } from "../sync/outbox";
import { problemMessage } from "../api/client";
import type { OutboxItem } from "../db/db";
import { useApp } from "../services";
import { t } from "../strings";
import { useState } from "preact/hooks";
import { ErrorMessage } from "./fields";

export function RefusedChange({ item }: { item: OutboxItem }) {
  const { db, api } = useApp();
  const [error, setError] = useState("");

  async function discard() {
    if (item.if_match === null) return discardChange(db, item.entry_id, null);
    try {
      const { data } = await api.GET("/v1/evidence/{entry_id}", { params: { path: { entry_id: item.entry_id } } });
      await discardChange(db, item.entry_id, data ? entryFromServer(data) : null);
    } catch {
      setError(t.offline);
    }
  }

  return (
    <section class="refused" aria-labelledby="refused-heading">
      <h2 id="refused-heading">{t.editor.refusedHeading}</h2>
      <p>{item.problem ? t.problem(problemMessage(item.problem)) : ""}</p>
      <ErrorMessage>{error}</ErrorMessage>
      <button type="button" onClick={discard}>
        {t.editor.discard}
      </button>
    </section>
  );
}
