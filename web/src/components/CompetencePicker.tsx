/**
 * Mapping an entry to competences of any framework: search across all frameworks, recently
 * used first, and save the set with `PUT /v1/evidence/{id}/competences`. This needs the entry
 * on the server and a connection (the mapping is not queued offline).
 */
import { useEffect, useState } from "preact/hooks";
import { problemMessage, asProblem, type Schemas } from "../api/client";
import type { RecentCompetence } from "../db/db";
import { useApp } from "../services";
import { t } from "../strings";
import { ErrorMessage, TextField } from "./fields";
import { useLive } from "./useLive";

type Item = Schemas["ItemOut"];

export interface Mapped {
  id: string;
  code: string;
  title: string;
  framework: string;
  note: string;
}

function fromItem(item: Item): Mapped {
  return { id: item.id, code: item.code, title: item.title, framework: item.framework.title, note: "" };
}

export function CompetencePicker({ entryId, onServer }: { entryId: string; onServer: boolean }) {
  const { db, api } = useApp();
  const [mapped, setMapped] = useState<Mapped[] | null>(null);
  const [query, setQuery] = useState("");
  const [results, setResults] = useState<Mapped[]>([]);
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");
  const recent = useLive(() => db.recentCompetences.orderBy("used_at").reverse().limit(8).toArray(), [db]) ?? [];

  useEffect(() => {
    if (!onServer) return;
    api
      .GET("/v1/evidence/{entry_id}/competences", { params: { path: { entry_id: entryId } } })
      .then(({ data }) => data && setMapped(data.links.map((link) => ({ ...fromItem(link.item), note: link.note }))))
      .catch(() => setError(t.competences.offline));
  }, [entryId, onServer]);

  useEffect(() => {
    if (query.trim().length < 2) return setResults([]);
    const timer = setTimeout(() => {
      api
        .GET("/v1/competences", { params: { query: { q: query.trim(), limit: 20 } } })
        .then(({ data }) => setResults((data?.items ?? []).map(fromItem)))
        .catch(() => setError(t.competences.offline));
    }, 250);
    return () => clearTimeout(timer);
  }, [query]);

  if (!onServer) {
    return (
      <section aria-labelledby="competences-heading">
        <h2 id="competences-heading">{t.competences.legend}</h2>
        <p>{t.competences.needsUpload}</p>
      </section>
    );
  }

  const current = mapped ?? [];
  const isMapped = (id: string) => current.some((item) => item.id === id);
  const add = (item: Mapped | RecentCompetence) => setMapped([...current, { ...item, note: "" }]);
  const remove = (id: string) => setMapped(current.filter((item) => item.id !== id));

  async function save() {
    setError("");
    setMessage("");
    try {
      const links = current.map((item) => ({ item_id: item.id, note: item.note }));
      const { error: refusal, response } = await api.PUT("/v1/evidence/{entry_id}/competences", {
        params: { path: { entry_id: entryId } },
        body: { links },
      });
      if (refusal) return setError(problemMessage(asProblem(refusal, response.status)));
      const now = Date.now();
      await db.recentCompetences.bulkPut(current.map(({ id, code, title, framework }) => ({ id, code, title, framework, used_at: now })));
      setMessage(t.competences.linksSaved);
    } catch {
      setError(t.competences.offline);
    }
  }

  const suggestions = [...recent.filter((item) => !isMapped(item.id)), ...results.filter((item) => !isMapped(item.id) && !recent.some((r) => r.id === item.id))];
  return (
    <section aria-labelledby="competences-heading" class="competences">
      <h2 id="competences-heading">{t.competences.legend}</h2>
      <h3>{t.competences.mapped}</h3>
      {current.length === 0 ? (
        <p>{t.competences.none}</p>
      ) : (
        <ul>
          {current.map((item) => (
            <li key={item.id}>
              <strong>{item.code}</strong> {item.title} <span class="hint">({item.framework})</span>{" "}
              <button type="button" class="link" onClick={() => remove(item.id)}>
                {t.competences.remove(item.code)}
              </button>
            </li>
          ))}
        </ul>
      )}
      <TextField id="competence-search" label={t.competences.search} hint={t.competences.hint} type="search" value={query} onInput={setQuery} />
      <ul class="suggestions">
        {suggestions.map((item) => (
          <li key={item.id}>
            <strong>{item.code}</strong> {item.title} <span class="hint">({item.framework})</span>{" "}
            <button type="button" onClick={() => add(item)}>
              {t.competences.add(item.code)}
            </button>
          </li>
        ))}
      </ul>
      <ErrorMessage>{error}</ErrorMessage>
      <button type="button" onClick={save}>
        {t.competences.saveLinks}
      </button>
      {message && <p>{message}</p>}
    </section>
  );
}
