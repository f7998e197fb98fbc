/**
 * What each side can do next on a review. Both comment while it is open; the worker resubmits
 * (after changes were asked for, or to have an edited entry verified again) or withdraws; the
 * reviewer asks for changes or verifies, naming their role and registration number, after
 * ticking the declaration. A verification carries the hashes of the entry and files the reviewer
 * was shown (`seen`), so it is refused if the worker changed them meanwhile. The server checks every
 * step (`cpl.reviews.service`); a refusal is shown as it said it.
 */
import { useState } from "preact/hooks";
import { need } from "../../api/remote";
import { useApp } from "../../services";
import { t } from "../../strings";
import { Checkbox, ErrorMessage, TextArea, TextField } from "../fields";
import { useAction } from "../remote/hooks";
import type { ReviewDetail } from "./data";
import { type SharedEntry, seenOf } from "./SharedEntryView";

type Step = "comments" | "resubmit" | "request-changes";

interface Props {
  review: ReviewDetail;
  /** The entry as the reviewer was shown it (the reviewer's side only). */
  shared?: SharedEntry;
  onChanged: (review: ReviewDetail) => void;
}

function VerifyForm({ review, shared, onChanged }: Props & { shared: SharedEntry }) {
  const { api } = useApp();
  const [statement, setStatement] = useState("");
  const [role, setRole] = useState("");
  const [pin, setPin] = useState("");
  const [declared, setDeclared] = useState(false);
  const action = useAction();
  async function verify(event: Event) {
    event.preventDefault();
    const request = api.POST("/v1/reviews/{review_id}/verify", {
      params: { path: { review_id: review.id } },
      body: { statement, role, registration_number: pin, seen: seenOf(shared) },
    });
    await action.run(async () => onChanged(await need<ReviewDetail>(request, t.online.unreachable)));
  }
  return (
    <form onSubmit={verify} class="panel">
      <h2>{t.review.verifyHeading}</h2>
      <TextArea id="verify-statement" label={t.review.statement} value={statement} rows={3} onInput={setStatement} />
      <TextField id="verify-role" label={t.review.role} hint={t.review.roleHint} value={role} onInput={setRole} />
      <TextField id="verify-pin" label={t.review.pin} value={pin} onInput={setPin} />
      <Checkbox id="verify-declaration" label={t.review.declaration} checked={declared} onChange={setDeclared} />
      <ErrorMessage>{action.error}</ErrorMessage>
      <button type="submit" class="primary" disabled={action.busy || !declared || !statement.trim()}>
        {t.review.verify}
      </button>
    </form>
  );
}

export function ReviewSteps({ review, shared, onChanged }: Props) {
  const { api, session } = useApp();
  const [text, setText] = useState("");
  const action = useAction();
  const me = session?.account.id;
  const isWorker = review.worker_id === me;
  const isReviewer = review.reviewer_id === me;
  const open = review.state === "submitted" || review.state === "changes_requested";
  const finished = review.state === "withdrawn" || review.state === "closed";
  const path = { review_id: review.id };
  /** Sent back, or verified and since edited: an unchanged verified entry has nothing to verify again. */
  const resubmittable =
    review.state === "changes_requested" ||
    (review.state === "verified" && review.verifications.some((verification) => verification.stale));

  async function step(kind: Step) {
    const request = api.POST(`/v1/reviews/{review_id}/${kind}`, { params: { path }, body: { body: text } });
    if (await action.run(async () => onChanged(await need<ReviewDetail>(request, t.online.unreachable)))) setText("");
  }

  async function withdraw() {
    if (!confirm(t.review.withdrawConfirm)) return;
    const request = api.POST("/v1/reviews/{review_id}/withdraw", { params: { path } });
    await action.run(async () => onChanged(await need<ReviewDetail>(request, t.online.unreachable)));
  }

  return (
    <>
      {!finished && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void step("comments");
          }}
        >
          <TextArea id="review-comment" label={t.review.comment} value={text} rows={3} onInput={setText} />
          <ErrorMessage>{action.error}</ErrorMessage>
          <div class="actions">
            <button type="submit" class="primary" disabled={action.busy || !text.trim()}>
              {t.review.sendComment}
            </button>
            {isWorker && resubmittable && (
              <button type="button" disabled={action.busy} onClick={() => step("resubmit")}>
                {t.review.resubmit}
              </button>
            )}
            {isWorker && open && (
              <button type="button" disabled={action.busy} onClick={withdraw}>
                {t.review.withdraw}
              </button>
            )}
            {isReviewer && review.state === "submitted" && (
              <button type="button" disabled={action.busy || !text.trim()} onClick={() => step("request-changes")}>
                {t.review.requestChanges}
              </button>
            )}
          </div>
        </form>
      )}
      {isReviewer && review.state === "submitted" && shared && (
        <VerifyForm review={review} shared={shared} onChanged={onChanged} />
      )}
    </>
  );
}
