/**
 * The person's rights over their data: a ZIP of everything cpl holds about them (made by a job,
 * downloadable for a few days), and erasing the account (password, a code when the second
 * factor is on, and the words typed out). The server keeps every rule (`cpl.privacy`,
 * `cpl.accounts.erasure`); erasing closes the account at once, so the phone is emptied too.
 */
import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import type { Schemas } from "../api/client";
import { filenameOf, saveBlob } from "../api/download";
import { need } from "../api/remote";
import { paths } from "../routes";
import { useApp } from "../services";
import { forgetEverything } from "../sync/session";
import { t } from "../strings";
import { ErrorMessage, TextField } from "./fields";
import { useAction } from "./remote/hooks";

type DataExport = Schemas["DataExportOut"];

const POLL_MS = 1000;

function DownloadMyData() {
  const { api } = useApp();
  const [copy, setCopy] = useState<DataExport | null>(null);
  const action = useAction();

  async function follow(made: DataExport) {
    let current = made;
    while (current.status === "queued" || current.status === "running") {
      setCopy(current);
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      const request = api.GET("/v1/me/data-export/{export_id}", { params: { path: { export_id: current.id } } });
      current = await need(request, t.online.unreachable);
    }
    setCopy(current);
  }
  async function start() {
    await action.run(async () => follow(await need(api.POST("/v1/me/data-export"), t.online.unreachable)));
  }
  async function save(made: DataExport) {
    await action.run(async () => {
      const answer = await api.GET("/v1/me/data-export/{export_id}/download", {
        params: { path: { export_id: made.id } },
        parseAs: "blob",
      });
      const blob = await need<Blob>(Promise.resolve(answer), t.online.unreachable);
      saveBlob(blob, filenameOf(answer.response.headers.get("Content-Disposition"), `cpl-my-data-${made.id}.zip`));
    });
  }

  return (
    <>
      <ErrorMessage>{action.error}</ErrorMessage>
      {copy?.status === "done" && copy.expires_at ? (
        <p role="status">
          {t.privacy.ready(new Date(copy.expires_at).toLocaleString())}{" "}
          <button type="button" class="primary" onClick={() => save(copy)}>
            {t.privacy.getCopy}
          </button>
        </p>
      ) : copy && copy.status !== "failed" ? (
        <p role="status">{t.privacy.preparing}</p>
      ) : (
        <>
          {copy?.status === "failed" && <p role="alert">{t.privacy.failed}</p>}
          <button type="button" disabled={action.busy} onClick={start}>
            {t.privacy.download}
          </button>
        </>
      )}
    </>
  );
}

function EraseMyAccount() {
  const { api, db, engine, setSession } = useApp();
  const { route } = useLocation();
  const [password, setPassword] = useState("");
  const [code, setCode] = useState("");
  const [words, setWords] = useState("");
  const action = useAction();

  async function erase(event: Event) {
    event.preventDefault();
    const digits = code.replace(/\s/g, "");
    const body = { password, confirm: words.trim(), ...(digits ? { code: digits } : {}) };
    if (await action.run(() => need(api.DELETE("/v1/me", { body }), t.online.unreachable))) {
      engine.stop();
      await forgetEverything(db);
      setSession(null);
      route(paths.signIn);
    }
  }

  return (
    <form onSubmit={erase} class="panel" aria-labelledby="erase-heading">
      <h3 id="erase-heading">{t.privacy.eraseHeading}</h3>
      <p>{t.privacy.eraseIntro}</p>
      <ErrorMessage>{action.error}</ErrorMessage>
      <TextField
        id="erase-password"
        label={t.privacy.password}
        type="password"
        autocomplete="current-password"
        required
        value={password}
        onInput={setPassword}
      />
      <TextField
        id="erase-code"
        label={t.privacy.code}
        autocomplete="one-time-code"
        inputMode="numeric"
        value={code}
        onInput={setCode}
      />
      <TextField id="erase-confirm" label={t.privacy.confirmLabel} required value={words} onInput={setWords} />
      <button type="submit" disabled={action.busy || words.trim() !== t.privacy.confirmWords || !password}>
        {t.privacy.erase}
      </button>
    </form>
  );
}

export function PrivacySection() {
  return (
    <section aria-labelledby="privacy-heading">
      <h2 id="privacy-heading">{t.privacy.heading}</h2>
      <p>{t.privacy.intro}</p>
      <DownloadMyData />
      <EraseMyAccount />
    </section>
  );
}
