/** Sign in: e-mail and password; the server answers with an HttpOnly cookie. */
import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { myRoles, signIn } from "../api/auth";
import { ErrorMessage, TextField } from "../components/fields";
import { paths } from "../routes";
import { useApp } from "../services";
import { t } from "../strings";
import { useStartSession } from "./startSession";

export function SignInScreen() {
  const { api } = useApp();
  const { route } = useLocation();
  const startSession = useStartSession();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      const answer = await signIn(api, email, password);
      if ("error" in answer) return setError(`${t.signIn.failed}: ${answer.error}`);
      await startSession({ account: answer.account, roles: (await myRoles(api)) ?? [] });
      route(paths.log);
    } catch {
      setError(t.signIn.offline);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" class="narrow">
      <h1>{t.signIn.heading}</h1>
      <form onSubmit={submit}>
        <TextField id="email" label={t.signIn.email} type="email" autocomplete="username" required value={email} onInput={setEmail} />
        <TextField
          id="password"
          label={t.signIn.password}
          type="password"
          autocomplete="current-password"
          required
          value={password}
          onInput={setPassword}
        />
        <ErrorMessage>{error}</ErrorMessage>
        <button type="submit" class="primary" disabled={busy}>
          {t.signIn.submit}
        </button>
      </form>
      <p>
        {t.signIn.noAccount} <a href={paths.createAccount}>{t.signIn.createAccount}</a>
      </p>
      <p>
        <a href="/account/forgot-password">
          {t.signIn.forgotten}
        </a>
      </p>
    </main>
  );
}
