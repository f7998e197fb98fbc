/** Dates and times as the worker reads them, in their own locale. */

/** "2026-12-02" → "2 Dec 2026" (a calendar day: no time zone shift). */
export function day(iso: string): string {
  const [year, month, date] = iso.split("-").map(Number);
  return new Date(year, month - 1, date).toLocaleDateString(undefined, {
    day: "numeric",
    month: "short",
    year: "numeric",
  });
}

/** An instant, to the minute. */
export function moment(iso: string): string {
  return new Date(iso).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}
