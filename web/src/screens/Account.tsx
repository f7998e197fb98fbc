/**
 * The account: who is signed in, the signed-in devices (sign out a lost phone), signing out
 * here — which asks first if anything is unsent, then empties the phone's database — notifications
 * on this phone (Web Push), the second factor, and the person's data (download a copy, erase the account).
 */
import { useLocation } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import { signOut } from "../api/auth";
import { asProblem, problemMessage, type Schemas } from "../api/client";
import { AccessLogSection } from "../components/AccessLog";
import { ErrorMessage } from "../components/fields";
import { PrivacySection } from "../components/PrivacySection";
import { PushSection } from "../components/PushSection";
import { RemindersSection } from "../components/RemindersSection";
import { SecondFactorSection } from "../components/SecondFactor";
import { paths } from "../routes";
import { useApp } from "../services";
import { forgetEverything, unsentCount } from "../sync/session";
import { t } from "../strings";

type Device = Schemas["SessionOut"];

export function AccountScreen() {
  const { db, api, engine, session, setSession } = useApp();
  const { route } = useLocation();
  const [devices, setDevices] = useState<Device[] | null>(null);
  const [error, setError] = useState("");
  const [notice, setNotice] = useState("");

  async function loadDevices() {
    try {
      const { data } = await api.GET("/v1/me/sessions");
      setDevices(data ?? []);
    } catch {
      setError(t.account.offline);
    }
  }

  useEffect(() => void loadDevices(), []);

  async function signOutDevice(device: Device) {
    setError("");
    try {
      await api.DELETE("/v1/me/sessions/{session_id}", { params: { path: { session_id: device.id } } });
    } catch {
      return setError(t.account.offline);
    }
    await loadDevices();
  }

  async function resendLink() {
    setError("");
    try {
      const { data, error: problem, response } = await api.POST("/v1/me/email-verification");
      setNotice(data ? t.account.resent(data.email) : problemMessage(asProblem(problem, response.status)));
    } catch {
      setError(t.account.offline);
    }
  }

  async function signOutHere() {
    const unsent = await unsentCount(db);
    if (unsent > 0 && !confirm(t.account.unsentWarning(unsent))) return;
    engine.stop();
    await signOut(api);
    await forgetEverything(db);
    setSession(null);
    route(paths.signIn);
  }

  return (
    <>
      <h1>{t.account.heading}</h1>
      {session && <p>{t.account.signedInAs(session.account.display_name, session.account.email)}</p>}
      {session && session.account.email_verified === false && (
        <p>
          {t.account.unconfirmed(session.account.email)}{" "}
          <button type="button" onClick={resendLink}>
            {t.account.resend}
          </button>
        </p>
      )}
      {notice && <p role="status">{notice}</p>}
      <h2>{t.account.devices}</h2>
      <ErrorMessage>{error}</ErrorMessage>
      <ul class="device-list">
        {(devices ?? []).map((device) => (
          <li key={device.id}>
            <span>
              {device.device_name || t.account.unnamedDevice}
              {device.current ? ` (${t.account.thisDevice})` : ""}
            </span>
            <span class="hint"> {t.account.lastUsed(new Date(device.last_used_at).toLocaleString())}</span>
            {!device.current && (
              <button type="button" onClick={() => signOutDevice(device)}>
                {t.account.signOutDevice(device.device_name || t.account.unnamedDevice)}
              </button>
            )}
          </li>
        ))}
      </ul>
      <button type="button" class="primary" onClick={signOutHere}>
        {t.account.signOut}
      </button>
      <PushSection />
      <RemindersSection />
      <SecondFactorSection />
      <AccessLogSection />
      <PrivacySection />
    </>
  );
}
