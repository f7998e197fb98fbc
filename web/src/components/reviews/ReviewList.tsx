/** Reviews as links to each one, with their state in words and the other side's name. */
import { paths } from "../../routes";
import { t } from "../../strings";
import { moment } from "../remote/format";
import type { Review } from "./data";

export function reviewState(state: string): string {
  return t.reviews.states[state] ?? state;
}

export function ReviewList({ reviews, side }: { reviews: Review[]; side: "worker" | "reviewer" }) {
  return (
    <ul class="entry-list" aria-label={side === "reviewer" ? t.reviews.queueList : t.reviews.mineList}>
      {reviews.map((review) => (
        <li key={review.id} class="entry-row">
          <a href={paths.review(review.id)}>
            <span class="entry-title">{review.entry_title || t.reviews.deletedEntry}</span>
            <span class="entry-meta">
              {side === "worker" ? t.reviews.to(review.reviewer_name) : t.reviews.by(review.worker_name)},{" "}
              {moment(review.updated_at)}
            </span>
            <span class={`badge badge-${review.state}`}>{reviewState(review.state)}</span>
          </a>
        </li>
      ))}
    </ul>
  );
}
