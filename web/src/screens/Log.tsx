/**
 * The log: the worker's entries newest first, read from IndexedDB (so it works offline), with
 * search and filters. It shows a page at a time ("Show more"), which keeps 5,000 entries smooth.
 */
import { useLocation } from "preact-iso";
import { useMemo, useState } from "preact/hooks";
import { EntryRow } from "../components/EntryRow";
import { Select, TextField } from "../components/fields";
import { useLive } from "../components/useLive";
import type { LocalEntry, OutboxItem } from "../db/db";
import { allTags, filterEntries, newestFirst, NO_FILTER, outboxByEntry, type LogFilter } from "../db/queries";
import { paths } from "../routes";
import { useApp } from "../services";
import { kindLabel, t } from "../strings";

export const PAGE_SIZE = 50;

export function LogScreen() {
  const { db } = useApp();
  const { route } = useLocation();
  const [filter, setFilter] = useState<LogFilter>(NO_FILTER);
  const [limit, setLimit] = useState(PAGE_SIZE);
  const all = useLive(() => db.entries.toArray(), [db]);
  const sorted = useMemo(() => newestFirst(all ?? []), [all]);
  const matching = useMemo(() => filterEntries(sorted, filter), [sorted, filter]);
  const tags = useLive(() => allTags(db), [db]) ?? [];
  const outbox = useLive(() => outboxByEntry(db), [db]);
  const change = (patch: Partial<LogFilter>) => {
    setFilter({ ...filter, ...patch });
    setLimit(PAGE_SIZE);
  };
  const kinds = Object.keys(t.kinds).map((kind): [string, string] => [kind, kindLabel(kind)]);

  return (
    <>
      <div class="heading-row">
        <h1>{t.log.heading}</h1>
        <button type="button" class="primary" onClick={() => route(paths.newEntry)}>
          {t.log.newEntry}
        </button>
      </div>
      <search>
        <TextField id="log-search" label={t.log.search} type="search" value={filter.text} onInput={(text) => change({ text })} />
        <details class="filters">
          <summary>{t.log.filters}</summary>
          <Select id="log-kind" label={t.log.kind} value={filter.kind} onChange={(kind) => change({ kind })} options={[["", t.log.anyKind], ...kinds]} />
          <TextField id="log-from" label={t.log.from} type="date" value={filter.from} onInput={(from) => change({ from })} />
          <TextField id="log-to" label={t.log.to} type="date" value={filter.to} onInput={(to) => change({ to })} />
          <Select
            id="log-tag"
            label={t.log.tag}
            value={filter.tag}
            onChange={(tag) => change({ tag })}
            options={[["", t.log.anyTag], ...tags.map((tag): [string, string] => [tag, tag])]}
          />
        </details>
      </search>
      {all && (
        <LogList
          shown={matching.slice(0, limit)}
          total={matching.length}
          outbox={outbox}
          onMore={() => setLimit(limit + PAGE_SIZE)}
          filtered={filter !== NO_FILTER}
        />
      )}
    </>
  );
}

interface LogListProps {
  shown: LocalEntry[];
  total: number;
  outbox: Map<string, OutboxItem> | undefined;
  onMore: () => void;
  filtered: boolean;
}

function LogList({ shown, total, outbox, onMore, filtered }: LogListProps) {
  if (total === 0) return <p>{filtered ? t.log.noMatch : t.log.empty}</p>;
  return (
    <>
      <p class="hint">{t.log.count(shown.length, total)}</p>
      <ul class="entry-list">
        {shown.map((entry) => (
          <EntryRow key={entry.id} entry={entry} pending={outbox?.get(entry.id)} />
        ))}
      </ul>
      {shown.length < total && (
        <button type="button" onClick={onMore}>
          {t.log.more}
        </button>
      )}
    </>
  );
}
