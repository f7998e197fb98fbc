/**
 * One review, for its worker or its reviewer: the state, the verifications (current or stale),
 * every comment and step in order, and what can be done next. Online only.
 */
import { useRoute } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import { need } from "../api/remote";
import { ErrorMessage } from "../components/fields";
import { moment } from "../components/remote/format";
import { useRemote } from "../components/remote/hooks";
import { OnlineOnlyNote } from "../components/remote/OnlineOnly";
import type { ReviewDetail } from "../components/reviews/data";
import { reviewState } from "../components/reviews/ReviewList";
import { ReviewSteps } from "../components/reviews/ReviewSteps";
import { type SharedEntry, SharedEntryView } from "../components/reviews/SharedEntryView";
import { Verifications } from "../components/reviews/Verifications";
import { paths } from "../routes";
import { useApp } from "../services";
import { t } from "../strings";

function History({ review }: { review: ReviewDetail }) {
  return (
    <ol class="plain-list history">
      {review.history.map((event) => (
        <li key={event.id}>
          <strong>
            {event.actor_name} {t.review.actions[event.action] ?? event.action}
          </strong>{" "}
          <span class="hint">{moment(event.created_at)}</span>
          {event.body && <blockquote>{event.body}</blockquote>}
        </li>
      ))}
    </ol>
  );
}

export function ReviewScreen() {
  const { api, session } = useApp();
  const { params } = useRoute();
  const loaded = useRemote(
    () =>
      need<ReviewDetail>(
        api.GET("/v1/reviews/{review_id}", { params: { path: { review_id: params.id } } }),
        t.online.unreachable,
      ),
    [api, params.id],
  );
  const [review, setReview] = useState<ReviewDetail>();
  useEffect(() => setReview(loaded.value), [loaded.value]);
  const isReviewer = review !== undefined && review.reviewer_id === session?.account.id;
  const entryId = review?.entry_id;
  const shared = useRemote(
    () =>
      isReviewer && entryId
        ? need<SharedEntry>(
            api.GET("/v1/shared/evidence/{entry_id}", { params: { path: { entry_id: entryId } } }),
            t.online.unreachable,
          )
        : Promise.resolve(undefined),
    [api, isReviewer, entryId],
  );

  if (!review) {
    return (
      <>
        <OnlineOnlyNote />
        <ErrorMessage>{loaded.error}</ErrorMessage>
        {loaded.loading && <p>{t.online.loading}</p>}
      </>
    );
  }
  const isWorker = review.worker_id === session?.account.id;
  return (
    <>
      <h1>{t.review.heading(review.entry_title || t.reviews.deletedEntry)}</h1>
      <OnlineOnlyNote />
      <ErrorMessage>{loaded.error}</ErrorMessage>
      <dl class="figures">
        <div>
          <dt>{t.review.state}</dt>
          <dd>{reviewState(review.state)}</dd>
        </div>
        <div>
          <dt>{isWorker ? t.review.reviewer : t.review.worker}</dt>
          <dd>{isWorker ? review.reviewer_name : review.worker_name}</dd>
        </div>
      </dl>
      {isWorker && (
        <p>
          <a href={paths.entryReview(review.entry_id)}>{t.review.entry}</a>
        </p>
      )}
      <ErrorMessage>{shared.error}</ErrorMessage>
      {shared.value && <SharedEntryView shared={shared.value} />}
      <h2>{t.share.verificationsHeading}</h2>
      <Verifications verifications={review.verifications} />
      <h2>{t.review.historyHeading}</h2>
      <History review={review} />
      <ReviewSteps review={review} shared={shared.value} onChanged={setReview} />
    </>
  );
}
