import { describe, expect, it } from "vitest";
import { SECOND_FACTOR_REQUIRED } from "../src/api/client";
import { need, RemoteError } from "../src/api/remote";
import { t } from "../src/strings";

const refusal = (type: string) => ({
  error: { type, title: "Refused", status: 403, detail: "The server's own words." },
  response: new Response(null, { status: 403 }),
});

describe("refusals of the online screens", () => {
  it("tell an admin or reviewer without a second factor where to set one up", async () => {
    const failure = (await need(Promise.resolve(refusal(SECOND_FACTOR_REQUIRED)), "offline").catch((error) => error)) as RemoteError;
    expect(failure).toBeInstanceOf(RemoteError);
    expect(failure.message).toBe(t.secondFactor.required);
    expect(failure.status).toBe(403);
  });

  it("say any other refusal as the server said it", async () => {
    const failure = (await need(Promise.resolve(refusal("about:blank")), "offline").catch((error) => error)) as RemoteError;
    expect(failure.message).toBe("The server's own words.");
  });
});
