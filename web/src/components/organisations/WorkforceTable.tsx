/**
 * The workforce table: one row per sharing worker, with each registration's due date and status,
 * the mandatory learning still missing, and their latest shared activity. On a phone the table keeps
 * its columns readable and scrolls sideways in its own focusable region (the page itself does not).
 */
import type { Schemas } from "../../api/client";
import { t } from "../../strings";

export type WorkforceWorker = Schemas["WorkforceWorkerOut"];

function missing(worker: WorkforceWorker): string {
  const codes = worker.registrations.flatMap((registration) =>
    registration.mandatory_learning.filter((item) => !item.covered).map((item) => item.title),
  );
  return codes.length ? codes.join("; ") : t.workforce.noneMissing;
}

export function WorkforceTable({ workers }: { workers: WorkforceWorker[] }) {
  const columns = t.workforce.columns;
  return (
    <div className="table-scroll" role="region" aria-label={t.workforce.tableRegion} tabIndex={0}>
      <table aria-label={t.workforce.table}>
        <thead>
          <tr>
            <th scope="col">{columns.worker}</th>
            <th scope="col">{columns.status}</th>
            <th scope="col">{columns.registrations}</th>
            <th scope="col">{columns.mandatory}</th>
            <th scope="col">{columns.lastActivity}</th>
            <th scope="col">{columns.shared}</th>
            <th scope="col">{columns.supervisors}</th>
          </tr>
        </thead>
        <tbody>
          {workers.map((worker) => (
            <tr key={worker.worker_id}>
              <th scope="row">{worker.display_name}</th>
              <td>{t.workforce.statuses[worker.status] ?? worker.status}</td>
              <td className="wide">
                {worker.registrations.map((registration) => (
                  <div key={registration.registration_id}>
                    {t.workforce.registration(
                      registration.register,
                      registration.part,
                      registration.due_on,
                      t.workforce.statuses[registration.status] ?? registration.status,
                    )}
                  </div>
                ))}
              </td>
              <td className="wide">{missing(worker)}</td>
              <td>{worker.last_activity ?? t.workforce.never}</td>
              <td>{worker.shared_entries}</td>
              <td>{worker.supervisors.map((supervisor) => supervisor.display_name).join(", ")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
