/**
 * The entry under review as the reviewer is shown it (`GET /v1/shared/evidence/{id}`): its fields,
 * reflection, competences, and its files opened in place through the short-lived links the API
 * gives for this reviewer alone — photos inline, PDFs in the browser's own viewer, audio playable,
 * anything else downloaded. What is shown here is what a verification is bound to (`seenOf`).
 */
import type { Schemas } from "../../api/client";
import { t } from "../../strings";
import { EntrySummary } from "../EntrySummary";

export type SharedEntry = Schemas["SharedEntryOut"];
type SharedFile = Schemas["SharedAttachmentOut"];

/** The hashes of exactly what was shown: sent with a verification, refused if the entry changed since. */
export function seenOf(shared: SharedEntry): { entry: string; attachments: string[] } {
  return { entry: shared.content_hash, attachments: shared.attachments.map((file) => file.sha256) };
}

function FileView({ file }: { file: SharedFile }) {
  if (file.media_type.startsWith("image/")) {
    return <img src={file.view_url} alt={t.reviewFiles.photo(file.filename)} class="shared-photo" />;
  }
  if (file.media_type.startsWith("audio/")) {
    return (
      <audio controls preload="metadata" src={file.view_url} aria-label={t.reviewFiles.audio(file.filename)}>
        <a href={file.view_url}>{file.filename}</a>
      </audio>
    );
  }
  const label = file.media_type === "application/pdf" ? t.reviewFiles.openPdf : t.reviewFiles.download;
  return (
    <a href={file.view_url} target="_blank" rel="noopener noreferrer">
      {label(file.filename)}
    </a>
  );
}

export function SharedEntryView({ shared }: { shared: SharedEntry }) {
  return (
    <>
      <EntrySummary heading={t.reviewFiles.entryHeading} entry={shared.entry} />
      <section aria-labelledby="review-competences">
        <h2 id="review-competences">{t.reviewFiles.competences}</h2>
        {shared.competence_links.length === 0 ? (
          <p>{t.reviewFiles.noCompetences}</p>
        ) : (
          <ul class="plain-list">
            {shared.competence_links.map((link) => (
              <li key={link.item.id}>
                <strong>{link.item.code}</strong> {link.item.title}
                {link.note && <blockquote>{link.note}</blockquote>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="review-files">
        <h2 id="review-files">{t.reviewFiles.heading}</h2>
        {shared.attachments.length === 0 ? (
          <p>{t.reviewFiles.none}</p>
        ) : (
          <ul class="plain-list">
            {shared.attachments.map((file) => (
              <li key={file.id}>
                <FileView file={file} />
              </li>
            ))}
          </ul>
        )}
        <p class="hint">{t.reviewFiles.linksExpire}</p>
      </section>
    </>
  );
}
