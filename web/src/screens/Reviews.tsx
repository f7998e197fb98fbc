/**
 * Reviews: invitations to join an organisation (needed before sharing with its supervisors),
 * choosing an entry to share or submit, my submitted entries, and — for supervisors — the
 * reviews waiting for me. Online only.
 */
import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { ErrorMessage, Select } from "../components/fields";
import { useRemote } from "../components/remote/hooks";
import { OnlineOnlyNote } from "../components/remote/OnlineOnly";
import { myQueue, mySubmissions } from "../components/reviews/data";
import { Invitations } from "../components/reviews/Invitations";
import { ReviewList } from "../components/reviews/ReviewList";
import { useLive } from "../components/useLive";
import { paths } from "../routes";
import { useApp } from "../services";
import { t } from "../strings";

function EntryChooser() {
  const { db } = useApp();
  const { route } = useLocation();
  const entries = useLive(
    () =>
      db.entries
        .orderBy("[occurred_on+created_at]")
        .reverse()
        .filter((entry) => entry.server_version !== null)
        .toArray(),
    [db],
  );
  const [choice, setChoice] = useState("");
  if (!entries || entries.length === 0) return null;
  const chosen = choice || entries[0].id;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        route(paths.entryReview(chosen));
      }}
    >
      <Select
        id="review-entry"
        label={t.reviews.chooseEntry}
        hint={t.reviews.chooseHint}
        value={chosen}
        onChange={setChoice}
        options={entries.map((entry): [string, string] => [entry.id, `${entry.occurred_on}: ${entry.title}`])}
      />
      <button type="submit" class="primary">
        {t.reviews.open}
      </button>
    </form>
  );
}

export function ReviewsScreen() {
  const { api, session } = useApp();
  const supervises = (session?.roles ?? []).includes("supervisor");
  const submitted = useRemote(() => mySubmissions(api), [api]);
  const queue = useRemote(() => (supervises ? myQueue(api) : Promise.resolve([])), [api, supervises]);
  return (
    <>
      <h1>{t.reviews.heading}</h1>
      <p>{t.reviews.intro}</p>
      <OnlineOnlyNote />
      <Invitations />
      <EntryChooser />
      <section aria-labelledby="reviews-mine">
        <h2 id="reviews-mine">{t.reviews.mine}</h2>
        <ErrorMessage>{submitted.error}</ErrorMessage>
        {submitted.value &&
          (submitted.value.length === 0 ? (
            <p>{t.reviews.noneMine}</p>
          ) : (
            <ReviewList reviews={submitted.value} side="worker" />
          ))}
      </section>
      {supervises && (
        <section aria-labelledby="reviews-queue">
          <h2 id="reviews-queue">{t.reviews.queue}</h2>
          <ErrorMessage>{queue.error}</ErrorMessage>
          {queue.value &&
            (queue.value.length === 0 ? (
              <p>{t.reviews.noneQueue}</p>
            ) : (
              <ReviewList reviews={queue.value} side="reviewer" />
            ))}
        </section>
      )}
    </>
  );
}
