/**
 * Saving a file the API streams (an export) on the phone: fetched with the app's session, then
 * handed to the browser as a download. An S3-backed server answers with a redirect to a
 * presigned URL on another origin, which the app's CSP (`connect-src 'self'`) cannot follow.
 */
import type { ApiClient } from "./client";
import { need, RemoteError } from "./remote";

export type Downloaded = "saved" | "elsewhere";

/** `attachment; filename="x.pdf"` or `filename*=UTF-8''x.pdf` → "x.pdf". */
export function filenameOf(disposition: string | null, fallback: string): string {
  const encoded = disposition?.match(/filename\*=UTF-8''([^;]+)/i);
  if (encoded) return decodeURIComponent(encoded[1]);
  return disposition?.match(/filename="([^"]+)"/i)?.[1] ?? fallback;
}

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

export async function downloadExport(api: ApiClient, exportId: string, offlineMessage: string): Promise<Downloaded> {
  let answer;
  try {
    answer = await api.GET("/v1/exports/{export_id}/download", {
      params: { path: { export_id: exportId } },
      parseAs: "blob",
      redirect: "manual",
    });
  } catch {
    throw new RemoteError(offlineMessage, true, 0);
  }
  if (answer.response.type === "opaqueredirect") return "elsewhere";
  const blob = await need<Blob>(Promise.resolve(answer), offlineMessage);
  saveBlob(blob, filenameOf(answer.response.headers.get("Content-Disposition"), `cpl-export-${exportId}`));
  return "saved";
}
