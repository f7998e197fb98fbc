/**
 * A refusal on an admin screen. Administering needs a session opened with a second factor
 * (`cpl.organisations.guards`): that refusal says so and links to where the factor is set up.
 */
import { paths } from "../../routes";
import { t } from "../../strings";
import { ErrorMessage } from "../fields";

export function AdminError({ message }: { message: string }) {
  if (!message) return null;
  return (
    <>
      <ErrorMessage>{message}</ErrorMessage>
      {message === t.secondFactor.required && (
        <p>
          <a href={paths.account}>{t.organisations.secondFactorLink}</a>
        </p>
      )}
    </>
  );
}
