import { describe, expect, it } from "vitest";
import { appScreen, pushedNotification } from "../src/webpush/message";
import { keyBytes } from "../src/webpush/subscription";

describe("a pushed notification", () => {
  it("shows what the payload says and opens its app screen", () => {
    const payload = { title: "cpl: verified", body: "Sam: verified on “Course”.", url: "/app/reviews/1b2c", tag: "n1" };
    expect(pushedNotification(payload, "cpl")).toEqual(payload);
  });

  it("opens only the app's own screens", () => {
    expect(appScreen("https://evil.example/app/x")).toBe("/app/notifications");
    expect(appScreen("//evil.example/app/")).toBe("/app/notifications");
    expect(appScreen("javascript:alert(1)")).toBe("/app/notifications");
    expect(appScreen("/app/progress")).toBe("/app/progress");
  });

  it("falls back when the payload is unreadable", () => {
    expect(pushedNotification(null, "cpl")).toEqual({ title: "cpl", body: "", tag: undefined, url: "/app/notifications" });
  });
});

describe("the VAPID key", () => {
  it("is decoded from base64url", () => {
    expect(Array.from(keyBytes("BAEC_-8"))).toEqual([4, 1, 2, 255, 239]);
  });
});
