/**
 * Who has seen my record (issue 16): every look at the worker's entries by someone else —
 * a supervisor opening a shared entry, a reviewer, the team view, a share link — newest first,
 * with who (name, organisation, capacity), what and when. The server keeps the log
 * (`cpl.audit`); this section only reads `GET /v1/me/access-log`, a page at a time.
 */
import { useEffect, useState } from "preact/hooks";
import type { Schemas } from "../api/client";
import { useApp } from "../services";
import { t } from "../strings";
import { ErrorMessage } from "./fields";

type Access = Schemas["AccessPage"]["items"][number];

function who(access: Access): string {
  const name = access.name || t.accessLog.erased;
  const capacity = [access.role, access.organisation].filter(Boolean).join(", ");
  return capacity ? `${name} (${capacity})` : name;
}

export function AccessLogSection() {
  const { api } = useApp();
  const [items, setItems] = useState<Access[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [error, setError] = useState("");

  async function load(cursor?: string) {
    setError("");
    try {
      const { data } = await api.GET("/v1/me/access-log", { params: { query: { cursor, limit: 20 } } });
      if (!data) return setError(t.accessLog.offline);
      setItems((before) => [...(cursor ? (before ?? []) : []), ...data.items]);
      setNext(data.next_cursor ?? null);
    } catch {
      setError(t.accessLog.offline);
    }
  }

  useEffect(() => void load(), []);

  return (
    <section aria-labelledby="access-log-heading">
      <h2 id="access-log-heading">{t.accessLog.heading}</h2>
      <p class="hint">{t.accessLog.intro}</p>
      <ErrorMessage>{error}</ErrorMessage>
      {items && items.length === 0 && <p>{t.accessLog.none}</p>}
      <ul class="device-list" aria-label={t.accessLog.heading}>
        {(items ?? []).map((access, index) => (
          <li key={`${access.at}-${index}`}>
            <span>{t.accessLog.line(who(access), t.accessLog.action(access.action))}</span>
            <span class="hint"> {new Date(access.at).toLocaleString()}</span>
          </li>
        ))}
      </ul>
      {next && (
        <button type="button" onClick={() => load(next)}>
          {t.accessLog.more}
        </button>
      )}
    </section>
  );
}
