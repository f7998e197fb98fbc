/** 412: the entry changed on another device. Both versions side by side; the worker picks one. */
import { useLocation, useRoute } from "preact-iso";
import { EntrySummary } from "../components/EntrySummary";
import { useLive } from "../components/useLive";
import { paths } from "../routes";
import { useApp } from "../services";
import { keepMine, keepServers } from "../sync/outbox";
import { t } from "../strings";

export function ConflictScreen() {
  const { db, engine } = useApp();
  const { params } = useRoute();
  const { route } = useLocation();
  const item = useLive(() => db.outbox.get(params.id), [db, params.id]);
  const mine = useLive(() => db.entries.get(params.id), [db, params.id]);

  if (item === undefined && mine === undefined) return null;
  if (!item?.server_entry || item.state !== "conflict" || !mine) {
    return (
      <>
        <h1>{t.conflict.heading}</h1>
        <p>{t.conflict.gone}</p>
      </>
    );
  }

  async function choose(keep: typeof keepMine) {
    await keep(db, params.id);
    void engine.sync();
    route(paths.entry(params.id));
  }

  return (
    <>
      <h1>{t.conflict.heading}</h1>
      <p>{t.conflict.explain}</p>
      <div class="compare">
        <EntrySummary heading={t.conflict.mine} entry={{ ...mine, ...item.content }} />
        <EntrySummary heading={t.conflict.servers} entry={item.server_entry} />
      </div>
      <div class="actions">
        <button type="button" class="primary" onClick={() => choose(keepMine)}>
          {t.conflict.keepMine}
        </button>
        <button type="button" onClick={() => choose(keepServers)}>
          {t.conflict.keepServers}
        </button>
      </div>
    </>
  );
}
