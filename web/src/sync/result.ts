/** How a sync step ended: "done", or why it stopped (so the engine knows when to try again). */
export type StepResult = "done" | "offline" | "signed_out" | "server_busy";

/** Statuses that mean "try the same request later", not "this request is wrong". */
export function isTransient(status: number): boolean {
  return status >= 500 || status === 429 || status === 408;
}

export function stopFor(status: number): StepResult {
  return status === 401 ? "signed_out" : "server_busy";
}
