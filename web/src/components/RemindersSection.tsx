/**
 * "Reminders": when cpl reminds me of my registrations' due dates (days before; e-mail and in-app
 * each on or off; my time zone and the quiet hours nothing is sent in), and the secret calendar
 * address a calendar app subscribes to. The server checks every value (`cpl.reminders`). Online only.
 */
import { useState } from "preact/hooks";
import type { Schemas } from "../api/client";
import { need } from "../api/remote";
import { useApp } from "../services";
import { t } from "../strings";
import { Checkbox, ErrorMessage, TextField } from "./fields";
import { useAction, useRemote } from "./remote/hooks";

type Settings = Schemas["ReminderSettingsOut"];

/** "90, 30, 7" → [90, 30, 7]; what is not a whole number is left for the server to refuse. */
function daysOf(text: string): number[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "")
    .map(Number);
}

function SettingsForm({ loaded }: { loaded: Settings }) {
  const { api } = useApp();
  const [settings, setSettings] = useState(loaded);
  const [days, setDays] = useState(loaded.days_before.join(", "));
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const change = (part: Partial<Settings>) => {
    setSaved(false);
    setSettings({ ...settings, ...part });
  };

  async function save(event: Event) {
    event.preventDefault();
    setSaved(false);
    const body = { ...settings, days_before: daysOf(days) };
    const done = await action.run(async () => {
      setSettings(await need(api.PUT("/v1/me/reminder-settings", { body }), t.reminders.offline));
    });
    setSaved(done);
  }

  return (
    <form onSubmit={save}>
      <TextField
        id="reminder-days"
        label={t.reminders.days}
        hint={t.reminders.daysHint}
        value={days}
        onInput={(value) => {
          setSaved(false);
          setDays(value);
        }}
      />
      <Checkbox id="reminder-email" label={t.reminders.email} checked={settings.email} onChange={(email) => change({ email })} />
      <Checkbox
        id="reminder-in-app"
        label={t.reminders.inApp}
        checked={settings.in_app}
        onChange={(in_app) => change({ in_app })}
      />
      <TextField
        id="reminder-time-zone"
        label={t.reminders.timeZone}
        hint={t.reminders.timeZoneHint}
        value={settings.time_zone}
        onInput={(time_zone) => change({ time_zone })}
      />
      <div class="field-row">
        <TextField
          id="quiet-from"
          type="time"
          label={t.reminders.quietFrom}
          value={settings.quiet_from}
          onInput={(quiet_from) => change({ quiet_from })}
        />
        <TextField
          id="quiet-until"
          type="time"
          label={t.reminders.quietUntil}
          value={settings.quiet_until}
          onInput={(quiet_until) => change({ quiet_until })}
        />
      </div>
      <ErrorMessage>{action.error}</ErrorMessage>
      {saved && <p role="status">{t.reminders.saved}</p>}
      <button type="submit" class="primary" disabled={action.busy}>
        {t.reminders.save}
      </button>
    </form>
  );
}

function CalendarFeed() {
  const { api } = useApp();
  const [url, setUrl] = useState("");
  const [revoked, setRevoked] = useState(false);
  const action = useAction();

  async function make() {
    setRevoked(false);
    await action.run(async () => setUrl((await need(api.POST("/v1/me/calendar-feed"), t.reminders.offline)).url));
  }
  async function revoke() {
    const done = await action.run(async () => {
      const answer = await api.DELETE("/v1/me/calendar-feed");
      if (!answer.response.ok && answer.response.status !== 404) throw new Error(t.reminders.offline);
    });
    if (done) {
      setUrl("");
      setRevoked(true);
    }
  }

  return (
    <>
      <h3>{t.reminders.calendarHeading}</h3>
      <p>{t.reminders.calendarIntro}</p>
      {url && (
        <p>
          {t.reminders.calendarUrl} <code class="secret">{url}</code>
        </p>
      )}
      <ErrorMessage>{action.error}</ErrorMessage>
      {revoked && <p role="status">{t.reminders.revoked}</p>}
      <div class="actions">
        <button type="button" onClick={make} disabled={action.busy}>
          {url ? t.reminders.newAddress : t.reminders.makeAddress}
        </button>
        <button type="button" onClick={revoke} disabled={action.busy}>
          {t.reminders.revoke}
        </button>
      </div>
    </>
  );
}

export function RemindersSection() {
  const { api } = useApp();
  const settings = useRemote(() => need<Settings>(api.GET("/v1/me/reminder-settings"), t.reminders.offline), [api]);
  return (
    <section aria-labelledby="reminders-heading">
      <h2 id="reminders-heading">{t.reminders.heading}</h2>
      <p>{t.reminders.intro}</p>
      <ErrorMessage>{settings.error}</ErrorMessage>
      {settings.value && <SettingsForm loaded={settings.value} />}
      <CalendarFeed />
    </section>
  );
}
