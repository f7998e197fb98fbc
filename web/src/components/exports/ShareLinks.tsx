/**
 * An export's share links: making one (who it is for, how long it works, an optional passcode),
 * the link itself shown once, every access to each link (opened or refused, when, from where),
 * and revoking a link. `…/exports/{id}/shares` (`cpl.exports.shares`).
 */
import { useState } from "preact/hooks";
import type { Schemas } from "../../api/client";
import { need } from "../../api/remote";
import { useApp } from "../../services";
import { t } from "../../strings";
import { ErrorMessage, TextField } from "../fields";
import { moment } from "../remote/format";
import { useAction, useRemote } from "../remote/hooks";

type Link = Schemas["exports_schemas_ShareOut"];
type Created = Schemas["ShareCreatedOut"];

function LinkRow({ link, onRevoke, busy }: { link: Link; onRevoke: () => void; busy: boolean }) {
  const label = t.exports.linkFor(link.label);
  return (
    <li class="share-link">
      <strong>{label}</strong>: {t.exports.expires(moment(link.expires_at))},{" "}
      {link.has_passcode ? t.exports.withPasscode : t.exports.withoutPasscode}
      {link.revoked_at && `, ${t.exports.linkRevoked}`}
      <h4>{t.exports.accessesHeading(label)}</h4>
      {link.accesses.length === 0 ? (
        <p>{t.exports.noAccesses}</p>
      ) : (
        <ul class="plain-list accesses">
          {link.accesses.map((access) => (
            <li key={access.at}>
              {t.exports.access(
                moment(access.at),
                t.exports.outcomes[access.outcome] ?? access.outcome,
                access.address,
              )}
              <br />
              <span class="hint">{access.user_agent}</span>
            </li>
          ))}
        </ul>
      )}
      {!link.revoked_at && (
        <button type="button" disabled={busy} onClick={onRevoke}>
          {t.exports.revokeLink(label)}
        </button>
      )}
    </li>
  );
}

export function ShareLinks({ exportId }: { exportId: string }) {
  const { api } = useApp();
  const path = { export_id: exportId };
  const links = useRemote(
    () => need<Link[]>(api.GET("/v1/exports/{export_id}/shares", { params: { path } }), t.online.unreachable),
    [exportId],
  );
  const [label, setLabel] = useState("");
  const [days, setDays] = useState("14");
  const [passcode, setPasscode] = useState("");
  const [created, setCreated] = useState<Created>();
  const action = useAction();
  const prefix = `link-${exportId}`;

  async function create(event: Event) {
    event.preventDefault();
    const body = { label, ttl_hours: Math.round(Number(days) * 24) || null, passcode: passcode || null };
    const request = api.POST("/v1/exports/{export_id}/shares", { params: { path }, body });
    if (!(await action.run(async () => setCreated(await need<Created>(request, t.online.unreachable))))) return;
    setPasscode("");
    await links.reload();
  }

  async function revoke(link: Link) {
    const request = api.DELETE("/v1/exports/{export_id}/shares/{share_id}", {
      params: { path: { ...path, share_id: link.id } },
    });
    if (await action.run(() => need(request, t.online.unreachable))) await links.reload();
  }

  return (
    <section aria-labelledby={`${prefix}-heading`}>
      <h3 id={`${prefix}-heading`}>{t.exports.linksHeading}</h3>
      <ErrorMessage>{links.error || action.error}</ErrorMessage>
      {links.value?.length === 0 && <p>{t.exports.noLinks}</p>}
      <ul class="plain-list">
        {(links.value ?? []).map((link) => (
          <LinkRow key={link.id} link={link} busy={action.busy} onRevoke={() => revoke(link)} />
        ))}
      </ul>
      <form onSubmit={create} class="panel">
        <h4>{t.exports.newLink}</h4>
        <TextField
          id={`${prefix}-label`}
          label={t.exports.linkLabel}
          hint={t.exports.linkLabelHint}
          value={label}
          onInput={setLabel}
        />
        <TextField
          id={`${prefix}-days`}
          type="number"
          inputMode="numeric"
          min={1}
          max={365}
          label={t.exports.expiresDays}
          value={days}
          required
          onInput={setDays}
        />
        <TextField
          id={`${prefix}-passcode`}
          autocomplete="off"
          label={t.exports.passcode}
          hint={t.exports.passcodeHint}
          value={passcode}
          onInput={setPasscode}
        />
        <button type="submit" class="primary" disabled={action.busy}>
          {t.exports.createLink}
        </button>
      </form>
      {created && (
        <div class="field">
          <label for={`${prefix}-url`}>{t.exports.newLinkUrl}</label>
          <input id={`${prefix}-url`} type="text" readOnly value={created.url} />
          <button type="button" class="link" onClick={() => void navigator.clipboard?.writeText(created.url)}>
            {t.exports.copy}
          </button>
        </div>
      )}
    </section>
  );
}
