/**
 * The account's second factor: set up an authenticator app (scan the QR code or type the key,
 * then confirm with a code), see the recovery codes once, get new ones, or turn it off with the
 * password and a code. Organisation admins and supervisors need it before they administer or
 * verify; for everyone else it is a choice. The server keeps every rule (`cpl.accounts.second_factor`).
 */
import { useState } from "preact/hooks";
import type { Schemas } from "../api/client";
import { need } from "../api/remote";
import { useApp } from "../services";
import { t } from "../strings";
import { ErrorMessage, TextField } from "./fields";
import { useAction, useRemote } from "./remote/hooks";

type Enrolment = Schemas["EnrolmentOut"];
type RecoveryCodes = Schemas["RecoveryCodesOut"];

/** Six digits are a code from the app; anything else is taken for a recovery code. */
function proof(typed: string): { code: string } | { recovery_code: string } {
  const digits = typed.replace(/\s/g, "");
  return /^[0-9]{6}$/.test(digits) ? { code: digits } : { recovery_code: typed.trim() };
}

function RecoveryCodeList({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <div class="panel">
      <h3>{t.secondFactor.recoveryHeading}</h3>
      <p>{t.secondFactor.recoveryIntro}</p>
      <ul class="recovery-codes" aria-label={t.secondFactor.recoveryHeading}>
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
      <button type="button" onClick={onDone}>
        {t.secondFactor.savedThem}
      </button>
    </div>
  );
}

export function SecondFactorSection() {
  const { api } = useApp();
  const status = useRemote(() => need(api.GET("/v1/me/second-factor"), t.online.unreachable), []);
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const action = useAction();

  async function start() {
    await action.run(async () => setEnrolment(await need(api.POST("/v1/me/second-factor"), t.online.unreachable)));
  }
  async function confirm(event: Event) {
    event.preventDefault();
    const request = api.POST("/v1/me/second-factor/confirm", { body: { code: code.replace(/\s/g, "") } });
    await action.run(async () => {
      const answer: RecoveryCodes = await need(request, t.online.unreachable);
      setEnrolment(null);
      setCode("");
      setCodes(answer.recovery_codes);
    });
  }
  async function renew(event: Event) {
    event.preventDefault();
    const request = api.POST("/v1/me/second-factor/recovery-codes", { body: proof(code) });
    await action.run(async () => {
      setCodes((await need(request, t.online.unreachable)).recovery_codes);
      setCode("");
    });
  }
  async function turnOff(event: Event) {
    event.preventDefault();
    const request = api.POST("/v1/me/second-factor/disable", { body: { password, ...proof(code) } });
    if (await action.run(() => need(request, t.online.unreachable))) {
      setCode("");
      setPassword("");
      await status.reload();
    }
  }
  async function done() {
    setCodes(null);
    await status.reload();
  }

  const current = status.value;
  return (
    <section aria-labelledby="second-factor-heading">
      <h2 id="second-factor-heading">{t.secondFactor.heading}</h2>
      <ErrorMessage>{status.error || action.error}</ErrorMessage>
      {codes ? (
        <RecoveryCodeList codes={codes} onDone={done} />
      ) : enrolment ? (
        <form onSubmit={confirm} class="panel">
          <p>{t.secondFactor.scan}</p>
          <img src={enrolment.qr_code} alt={t.secondFactor.qrAlt} width={200} height={200} />
          <p>
            {t.secondFactor.orType} <code class="secret">{enrolment.secret}</code>
          </p>
          <TextField
            id="enrol-code"
            label={t.secondFactor.code}
            autocomplete="one-time-code"
            inputMode="numeric"
            required
            value={code}
            onInput={setCode}
          />
          <button type="submit" class="primary" disabled={action.busy}>
            {t.secondFactor.confirm}
          </button>
        </form>
      ) : current?.enabled ? (
        <>
          <p>{t.secondFactor.on(current.recovery_codes_left)}</p>
          <form onSubmit={turnOff} class="panel">
            <TextField
              id="second-factor-code"
              label={t.secondFactor.codeOrRecovery}
              autocomplete="one-time-code"
              required
              value={code}
              onInput={setCode}
            />
            <button type="button" disabled={action.busy} onClick={renew}>
              {t.secondFactor.newRecoveryCodes}
            </button>
            <TextField
              id="second-factor-password"
              label={t.secondFactor.password}
              type="password"
              autocomplete="current-password"
              value={password}
              onInput={setPassword}
            />
            <button type="submit" disabled={action.busy || !password}>
              {t.secondFactor.turnOff}
            </button>
          </form>
        </>
      ) : current ? (
        <>
          <p>{t.secondFactor.off}</p>
          <button type="button" class="primary" disabled={action.busy} onClick={start}>
            {t.secondFactor.setUp}
          </button>
        </>
      ) : null}
    </section>
  );
}
