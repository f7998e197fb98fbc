/**
 * Sending a file to `POST /v1/evidence/{id}/attachments` as the raw body (its name in the
 * `filename` query parameter; the server judges the type from the bytes).
 *
 * In a page, the upload goes through XMLHttpRequest because fetch cannot report upload
 * progress; a service worker has no XMLHttpRequest, so there (and in tests) it uses fetch.
 */
import { APP_HEADER, type ApiOptions } from "./client";

export interface UploadAnswer {
  status: number;
  body: unknown;
}

export type Uploader = (
  entryId: string,
  file: { blob: Blob; filename: string },
  onProgress: (fraction: number) => void,
) => Promise<UploadAnswer>;

function uploadUrl(baseUrl: string, entryId: string, filename: string): string {
  return `${baseUrl}/v1/evidence/${encodeURIComponent(entryId)}/attachments?filename=${encodeURIComponent(filename)}`;
}

function parse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function viaXhr(url: string, blob: Blob, onProgress: (fraction: number) => void): Promise<UploadAnswer> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", url);
    xhr.setRequestHeader("X-CPL-App", APP_HEADER["X-CPL-App"]);
    xhr.setRequestHeader("Content-Type", blob.type || "application/octet-stream");
    xhr.upload.onprogress = (event) => event.lengthComputable && onProgress(event.loaded / event.total);
    xhr.onload = () => resolve({ status: xhr.status, body: parse(xhr.responseText) });
    xhr.onerror = () => reject(new TypeError("network error"));
    xhr.send(blob);
  });
}

export function createUploader(options: ApiOptions): Uploader {
  return async (entryId, file, onProgress) => {
    const url = uploadUrl(options.baseUrl, entryId, file.filename);
    if (typeof XMLHttpRequest !== "undefined") {
      return viaXhr(url, file.blob, onProgress);
    }
    const headers = { ...APP_HEADER, "Content-Type": file.blob.type || "application/octet-stream" };
    const response = await options.fetch(
      new Request(url, { method: "POST", body: file.blob, headers, credentials: "same-origin" }),
    );
    onProgress(1);
    return { status: response.status, body: parse(await response.text()) };
  };
}
