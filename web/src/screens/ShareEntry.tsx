/**
 * One entry's sharing and review: who can see it, sharing it with a supervisor or an
 * organisation, submitting it for review, its reviews and its verifications (current or stale).
 * Reached from the entry in the editor and from the Reviews screen. Online only.
 */
import { useRoute } from "preact-iso";
import { ErrorMessage } from "../components/fields";
import { useRemote } from "../components/remote/hooks";
import { OnlineOnlyNote } from "../components/remote/OnlineOnly";
import { myEmployers, myShares, mySubmissions, mySupervisors, verificationsOf } from "../components/reviews/data";
import { ReviewList } from "../components/reviews/ReviewList";
import { SharePanel } from "../components/reviews/SharePanel";
import { SubmitPanel } from "../components/reviews/SubmitPanel";
import { Verifications } from "../components/reviews/Verifications";
import { useLive } from "../components/useLive";
import { paths } from "../routes";
import { useApp } from "../services";
import { t } from "../strings";

export function ShareEntryScreen() {
  const { db, api, session } = useApp();
  const { params } = useRoute();
  const entryId = params.id;
  const entry = useLive(async () => (await db.entries.get(entryId)) ?? null, [db, entryId]);
  const me = session?.account.id ?? "";
  const people = useRemote(async () => {
    const [supervisors, employers, shares] = await Promise.all([
      mySupervisors(api, me),
      myEmployers(api),
      myShares(api),
    ]);
    return { supervisors, employers, shares };
  }, [api, me]);
  const reviews = useRemote(async () => {
    const [submitted, verifications] = await Promise.all([mySubmissions(api), verificationsOf(api, entryId)]);
    return { ofEntry: submitted.filter((review) => review.entry_id === entryId), verifications };
  }, [api, entryId]);

  if (entry === undefined) return null;
  if (entry === null) return <p>{t.share.notOnPhone}</p>;
  const back = (
    <p>
      <a href={paths.entry(entryId)}>{t.share.backToEntry}</a>
    </p>
  );
  if (entry.server_version === null) {
    return (
      <>
        <h1>{t.share.heading(entry.title)}</h1>
        <p>{t.share.notUploaded}</p>
        {back}
      </>
    );
  }

  return (
    <>
      <h1>{t.share.heading(entry.title)}</h1>
      {back}
      <OnlineOnlyNote />
      <ErrorMessage>{people.error || reviews.error}</ErrorMessage>
      {people.value && (
        <>
          <SharePanel entryId={entryId} {...people.value} onChanged={people.reload} />
          <SubmitPanel entryId={entryId} supervisors={people.value.supervisors} />
        </>
      )}
      <h2>{t.share.reviewsHeading}</h2>
      {reviews.value &&
        (reviews.value.ofEntry.length === 0 ? (
          <p>{t.share.noReviews}</p>
        ) : (
          <ReviewList reviews={reviews.value.ofEntry} side="worker" />
        ))}
      <h2>{t.share.verificationsHeading}</h2>
      {reviews.value && <Verifications verifications={reviews.value.verifications} />}
    </>
  );
}
