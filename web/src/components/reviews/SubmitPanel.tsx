/**
 * Asking a supervisor to review an entry: `POST /v1/reviews`. The server refuses an entry not
 * yet shared with that supervisor, and a second open review by the same reviewer.
 */
import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { need } from "../../api/remote";
import { paths } from "../../routes";
import { useApp } from "../../services";
import { t } from "../../strings";
import { ErrorMessage, Select, TextArea } from "../fields";
import { useAction } from "../remote/hooks";
import type { ReviewDetail, SupervisionLink } from "./data";

export function SubmitPanel({ entryId, supervisors }: { entryId: string; supervisors: SupervisionLink[] }) {
  const { api } = useApp();
  const { route } = useLocation();
  const [choice, setChoice] = useState("");
  const [note, setNote] = useState("");
  const action = useAction();
  if (supervisors.length === 0) return null;
  const options = supervisors.map((link): [string, string] => [
    link.id,
    t.share.supervisorAt(link.supervisor_name, link.organisation_name),
  ]);
  const link = supervisors.find((item) => item.id === choice) ?? supervisors[0];

  async function submit(event: Event) {
    event.preventDefault();
    let review: ReviewDetail | undefined;
    const body = { entry_id: entryId, reviewer_id: link.supervisor_id, organisation_id: link.organisation_id, note };
    const sent = await action.run(async () => {
      review = await need<ReviewDetail>(api.POST("/v1/reviews", { body }), t.online.unreachable);
    });
    if (sent && review) route(paths.review(review.id));
  }

  return (
    <section aria-labelledby="submit-heading">
      <h2 id="submit-heading">{t.share.submitHeading}</h2>
      <form onSubmit={submit}>
        <Select id="submit-reviewer" label={t.share.reviewer} value={link.id} onChange={setChoice} options={options} />
        <TextArea id="submit-note" label={t.share.note} value={note} rows={3} onInput={setNote} />
        <ErrorMessage>{action.error}</ErrorMessage>
        <button type="submit" class="primary" disabled={action.busy}>
          {t.share.submit}
        </button>
      </form>
    </section>
  );
}
