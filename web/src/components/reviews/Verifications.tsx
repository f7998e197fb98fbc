/** Verifications of an entry: who verified it (their organisation vetted or self-declared, their number as given),
 * their statement, and whether it still holds (stale when the entry changed). */
import { t } from "../../strings";
import { moment } from "../remote/format";
import type { Verification } from "./data";

export function Verifications({ verifications }: { verifications: Verification[] }) {
  if (verifications.length === 0) return <p>{t.share.noVerifications}</p>;
  return (
    <ul class="plain-list">
      {verifications.map((verification) => (
        <li key={verification.id} class={verification.stale ? "verification stale" : "verification"}>
          <strong>{verification.stale ? t.verification.stale : t.verification.current}</strong>
          <br />
          {t.verification.by(
            verification.verifier_name,
            verification.verifier_role,
            verification.organisation_name,
            verification.organisation_standing,
          )}{" "}
          {t.verification.at(moment(verification.verified_at))}
          {verification.verifier_registration_number && (
            <>
              <br />
              {t.verification.pin(verification.registration_shown_as)}
            </>
          )}
          <blockquote>{verification.statement}</blockquote>
        </li>
      ))}
    </ul>
  );
}
