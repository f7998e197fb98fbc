/**
 * The workforce view of an organisation I administer: every worker sharing with it, filtered by
 * team, register, status and due date, counted by status, paged, and downloadable as CSV (the
 * whole filtered set, streamed by the server). Needs the admin's second factor. Online only.
 */
import { useState } from "preact/hooks";
import type { Schemas } from "../api/client";
import { filenameOf, saveBlob } from "../api/download";
import { need, RemoteError } from "../api/remote";
import { ErrorMessage, Select, TextField } from "../components/fields";
import { AdminError } from "../components/organisations/AdminError";
import { people, type Member } from "../components/organisations/Members";
import { WorkforceTable, type WorkforceWorker } from "../components/organisations/WorkforceTable";
import { OnlineOnlyNote } from "../components/remote/OnlineOnly";
import { useAction, useRemote } from "../components/remote/hooks";
import { useApp } from "../services";
import { t } from "../strings";

type Organisation = Schemas["OrganisationOut"];
interface Query {
  team?: string;
  register?: string;
  status?: WorkforceWorker["status"];
  due_within?: number;
}

const REGISTERS = ["nmc", "hcpc", "swe", "sssc", "coru"];

function queryOf(team: string, register: string, status: string, due: string): Query {
  return {
    team: team || undefined,
    register: register || undefined,
    status: (status || undefined) as Query["status"],
    due_within: due === "" ? undefined : Number(due),
  };
}

function Filters(props: { organisationId: string; onApply: (query: Query) => void }) {
  const { api } = useApp();
  const members = useRemote(
    () =>
      need<Member[]>(
        api.GET("/v1/organisations/{organisation_id}/members", {
          params: { path: { organisation_id: props.organisationId } },
        }),
        t.online.unreachable,
      ),
    [api, props.organisationId],
  );
  const [team, setTeam] = useState("");
  const [register, setRegister] = useState("");
  const [status, setStatus] = useState("");
  const [due, setDue] = useState("");
  const supervisors = people(members.value ?? []).filter((person) => person.roles.includes("supervisor"));
  return (
    <form
      class="panel"
      aria-label={t.workforce.filters}
      onSubmit={(event) => {
        event.preventDefault();
        props.onApply(queryOf(team, register, status, due));
      }}
    >
      <Select
        id="workforce-team"
        label={t.workforce.team}
        value={team}
        onChange={setTeam}
        options={[["", t.workforce.anyTeam], ...supervisors.map((person): [string, string] => [person.id, person.name])]}
      />
      <Select
        id="workforce-register"
        label={t.workforce.register}
        value={register}
        onChange={setRegister}
        options={[["", t.workforce.anyRegister], ...REGISTERS.map((name): [string, string] => [name, name.toUpperCase()])]}
      />
      <Select
        id="workforce-status"
        label={t.workforce.status}
        value={status}
        onChange={setStatus}
        options={[["", t.workforce.anyStatus], ...Object.entries(t.workforce.statuses)]}
      />
      <TextField id="workforce-due" label={t.workforce.dueWithin} type="number" min="0" value={due} onInput={setDue} />
      <button type="submit">{t.workforce.apply}</button>
    </form>
  );
}

function View({ organisationId }: { organisationId: string }) {
  const { api } = useApp();
  const [query, setQuery] = useState<Query>({});
  const [more, setMore] = useState<WorkforceWorker[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const path = { organisation_id: organisationId };
  const page = useRemote(async () => {
    const answer = await need(
      api.GET("/v1/organisations/{organisation_id}/workforce", { params: { path, query } }),
      t.online.unreachable,
    );
    setMore([]);
    setCursor(answer.next_cursor);
    return answer;
  }, [api, organisationId, query]);
  const action = useAction();
  async function next() {
    await action.run(async () => {
      const request = api.GET("/v1/organisations/{organisation_id}/workforce", {
        params: { path, query: { ...query, cursor: cursor ?? undefined } },
      });
      const answer = await need(request, t.online.unreachable);
      setMore([...more, ...answer.items]);
      setCursor(answer.next_cursor);
    });
  }
  async function download() {
    await action.run(async () => {
      let answer;
      try {
        answer = await api.GET("/v1/organisations/{organisation_id}/workforce.csv", {
          params: { path, query },
          parseAs: "blob",
        });
      } catch {
        throw new RemoteError(t.online.unreachable, true, 0);
      }
      const blob = await need<Blob>(Promise.resolve(answer), t.online.unreachable);
      saveBlob(blob, filenameOf(answer.response.headers.get("Content-Disposition"), "workforce.csv"));
    });
  }
  const value = page.value;
  return (
    <>
      <Filters organisationId={organisationId} onApply={setQuery} />
      <AdminError message={page.error || action.error} />
      {value && (
        <>
          <section aria-labelledby="workforce-counts">
            <h2 id="workforce-counts">{t.workforce.countsHeading}</h2>
            <p>{t.workforce.total(value.total)}</p>
            <ul class="plain-list" aria-labelledby="workforce-counts">
              {Object.entries(value.counts).map(([status, count]) => (
                <li key={status}>
                  {t.workforce.statuses[status] ?? status}: {count}
                </li>
              ))}
            </ul>
          </section>
          <button type="button" disabled={action.busy} onClick={download}>
            {t.workforce.downloadCsv}
          </button>
          {value.total === 0 ? <p>{t.workforce.empty}</p> : <WorkforceTable workers={[...value.items, ...more]} />}
          {cursor && (
            <button type="button" disabled={action.busy} onClick={next}>
              {t.workforce.more}
            </button>
          )}
        </>
      )}
    </>
  );
}

export function WorkforceScreen() {
  const { api } = useApp();
  const mine = useRemote(() => need<Organisation[]>(api.GET("/v1/organisations"), t.online.unreachable), [api]);
  const administered = (mine.value ?? []).filter((organisation) => organisation.my_roles.includes("admin"));
  const [chosen, setChosen] = useState("");
  const organisationId = chosen || administered[0]?.id || "";
  return (
    <>
      <h1>{t.workforce.heading}</h1>
      <p>{t.workforce.intro}</p>
      <OnlineOnlyNote />
      <ErrorMessage>{mine.error}</ErrorMessage>
      {mine.value && administered.length === 0 && <p>{t.workforce.noAdmin}</p>}
      {administered.length > 1 && (
        <Select
          id="workforce-organisation"
          label={t.workforce.organisation}
          value={organisationId}
          onChange={setChosen}
          options={administered.map((organisation): [string, string] => [organisation.id, organisation.name])}
        />
      )}
      {organisationId && <View key={organisationId} organisationId={organisationId} />}
    </>
  );
}
