/**
 * Suggested entries from the worker's organisations (title, date, duration, source): accept one
 * as it is, edit it first, or reject it. Accepting writes the entry through the outbox like any
 * new entry; one accepted on this phone but not yet uploaded is no longer listed. Online only.
 */
import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { need } from "../api/remote";
import { ErrorMessage } from "../components/fields";
import { day } from "../components/remote/format";
import { useAction, useRemote } from "../components/remote/hooks";
import { OnlineOnlyNote } from "../components/remote/OnlineOnly";
import { accept, contentOf, type Suggestion } from "../components/suggestions/accept";
import { useLive } from "../components/useLive";
import { paths } from "../routes";
import { useApp } from "../services";
import { requestBackgroundSync } from "../sync/background";
import { t } from "../strings";

export function SuggestionsScreen() {
  const { api, db, engine } = useApp();
  const { route } = useLocation();
  const waiting = useRemote(() => need<Suggestion[]>(api.GET("/v1/me/suggestions"), t.online.unreachable), [api]);
  const onPhone = useLive(() => db.entries.toCollection().primaryKeys(), [db]);
  const action = useAction();
  const [message, setMessage] = useState("");

  async function acceptAsIs(item: Suggestion) {
    await accept(db, item.id, contentOf(item));
    setMessage(t.suggestions.accepted(item.title));
    void engine.sync();
    void requestBackgroundSync();
  }

  async function reject(item: Suggestion) {
    const request = api.POST("/v1/me/suggestions/{suggestion_id}/reject", {
      params: { path: { suggestion_id: item.id } },
    });
    if (await action.run(() => need(request, t.online.unreachable))) await waiting.reload();
  }

  const known = new Set(onPhone ?? []);
  const list = (waiting.value ?? []).filter((item) => !known.has(item.id));
  return (
    <>
      <h1>{t.suggestions.heading}</h1>
      <p>{t.suggestions.intro}</p>
      <OnlineOnlyNote />
      <ErrorMessage>{waiting.error || action.error}</ErrorMessage>
      {message && <p role="status">{message}</p>}
      {waiting.value && list.length === 0 && <p>{t.suggestions.none}</p>}
      <ul class="plain-list suggestions">
        {list.map((item) => (
          <li key={item.id} class="panel">
            <h2>{item.title}</h2>
            <p>
              {day(item.occurred_on)}
              {item.ended_on && ` – ${day(item.ended_on)}`}
              {item.duration_minutes > 0 && ` · ${t.amounts.minutes(item.duration_minutes)}`}
              {` · ${t.activityTypes[item.activity_type] ?? item.activity_type}`}
            </p>
            <p class="hint">{t.suggestions.from(item.organisation_name)}</p>
            <div class="actions">
              <button
                type="button"
                class="primary"
                aria-label={`${t.suggestions.accept}: ${item.title}`}
                onClick={() => acceptAsIs(item)}
              >
                {t.suggestions.accept}
              </button>
              <button
                type="button"
                aria-label={`${t.suggestions.edit}: ${item.title}`}
                onClick={() => route(paths.suggestion(item.id))}
              >
                {t.suggestions.edit}
              </button>
              <button
                type="button"
                disabled={action.busy}
                aria-label={`${t.suggestions.reject}: ${item.title}`}
                onClick={() => reject(item)}
              >
                {t.suggestions.reject}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
