/**
 * Calls for the online-only screens (progress, reviews, exports, notifications): the answer's
 * body, or a `RemoteError` carrying the sentence the worker reads — the server's refusal, or
 * "you are offline" when the request never reached it. Nothing here is queued: these screens
 * change the server directly, and say so when there is no connection.
 */
import { t } from "../strings";
import { asProblem, problemMessage, SECOND_FACTOR_REQUIRED } from "./client";

export class RemoteError extends Error {
  constructor(
    message: string,
    /** The request never reached the server (no connection). */
    readonly offline: boolean,
    readonly status: number,
  ) {
    super(message);
  }
}

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a successful answer; a RemoteError for a refusal or no connection. */
export async function need<T>(request: Promise<Answer<T>>, offlineMessage: string): Promise<T> {
  let answer: Answer<T>;
  try {
    answer = await request;
  } catch {
    throw new RemoteError(offlineMessage, true, 0);
  }
  if (!answer.response.ok) {
    const problem = asProblem(answer.error, answer.response.status);
    const message = problem.type === SECOND_FACTOR_REQUIRED ? t.secondFactor.required : problemMessage(problem);
    throw new RemoteError(message, false, problem.status);
  }
  return answer.data as T;
}
