/**
 * My team (supervisors): each worker I supervise, how many entries they share with me, how many
 * reviews wait for me, and each registration's status counted over only what they share with me
 * (`GET /v1/team`, `cpl.reviews.team`). Online only.
 */
import type { Schemas } from "../api/client";
import { need } from "../api/remote";
import { ErrorMessage } from "../components/fields";
import { useRemote } from "../components/remote/hooks";
import { OnlineOnlyNote } from "../components/remote/OnlineOnly";
import { useApp } from "../services";
import { t } from "../strings";

type Team = Schemas["TeamOut"];

export function TeamScreen() {
  const { api } = useApp();
  const team = useRemote(() => need<Team>(api.GET("/v1/team"), t.online.unreachable), [api]);
  const members = team.value?.members ?? [];
  return (
    <>
      <h1>{t.team.heading}</h1>
      <p>{t.team.intro}</p>
      <OnlineOnlyNote />
      <ErrorMessage>{team.error}</ErrorMessage>
      {team.value && members.length === 0 && <p>{t.team.none}</p>}
      {members.length > 0 && (
        <table aria-label={t.team.table}>
          <thead>
            <tr>
              <th scope="col">{t.team.worker}</th>
              <th scope="col">{t.team.shared}</th>
              <th scope="col">{t.team.open}</th>
              <th scope="col">{t.team.registrations}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((member) => (
              <tr key={`${member.organisation_id}-${member.worker_id}`}>
                <th scope="row">{member.display_name}</th>
                <td>{member.shared_entries}</td>
                <td>{member.open_reviews}</td>
                <td>
                  {member.registrations
                    .map((registration) =>
                      t.team.registration(registration.register, registration.part, registration.status),
                    )
                    .join("; ")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
