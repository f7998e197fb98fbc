/**
 * "Notifications on this phone": turn Web Push on (the browser asks permission, then this phone
 * subscribes with cpl's key) or off, for this phone alone. What is pushed is what the
 * notifications screen shows; a tap opens the screen it is about (src/webpush/message.ts).
 */
import { useEffect, useState } from "preact/hooks";
import { useApp } from "../services";
import { t } from "../strings";
import { type PushState, pushState, turnPushOff, turnPushOn } from "../webpush/subscription";
import { ErrorMessage } from "./fields";

export function PushSection() {
  const { api } = useApp();
  const [state, setState] = useState<PushState | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");

  useEffect(() => {
    pushState(api).then(setState, () => setState("off"));
  }, []);

  async function change(turn: typeof turnPushOn) {
    setError("");
    setBusy(true);
    try {
      setState(await turn(api));
    } catch (problem) {
      setError(t.push.failed(problem instanceof Error ? problem.message : String(problem)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="push-heading">
      <h2 id="push-heading">{t.push.heading}</h2>
      {state && <p role="status">{t.push.state[state]}</p>}
      <ErrorMessage>{error}</ErrorMessage>
      {(state === "off" || state === "blocked") && (
        <button type="button" disabled={busy} onClick={() => change(turnPushOn)}>
          {t.push.turnOn}
        </button>
      )}
      {state === "on" && (
        <button type="button" disabled={busy} onClick={() => change(turnPushOff)}>
          {t.push.turnOff}
        </button>
      )}
    </section>
  );
}
