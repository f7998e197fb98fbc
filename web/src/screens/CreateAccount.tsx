/** Create an account: name, e-mail and password; signed in straight away when the address is new. */
import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { register } from "../api/auth";
import { ErrorMessage, TextField } from "../components/fields";
import { paths } from "../routes";
import { useApp } from "../services";
import { t } from "../strings";
import { useStartSession } from "./startSession";

export function CreateAccountScreen() {
  const { api } = useApp();
  const { route } = useLocation();
  const startSession = useStartSession();
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState("");
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError("");
    try {
      const answer = await register(api, name, email, password);
      if ("checkMail" in answer) return setError(t.register.checkMail(email.trim().toLowerCase()));
      if ("error" in answer) return setError(`${t.register.failed}: ${answer.error}`);
      await startSession({ account: answer.account, roles: [] });
      route(paths.log);
    } catch {
      setError(t.signIn.offline);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main id="main" class="narrow">
      <h1>{t.register.heading}</h1>
      <form onSubmit={submit}>
        <TextField id="name" label={t.register.name} autocomplete="name" required value={name} onInput={setName} />
        <TextField id="email" label={t.register.email} type="email" autocomplete="email" required value={email} onInput={setEmail} />
        <TextField
          id="password"
          label={t.register.password}
          hint={t.register.passwordHint}
          type="password"
          autocomplete="new-password"
          required
          value={password}
          onInput={setPassword}
        />
        <p class="hint">{t.register.confirmHint}</p>
        <ErrorMessage>{error}</ErrorMessage>
        <button type="submit" class="primary" disabled={busy}>
          {t.register.submit}
        </button>
      </form>
      <p>
        {t.register.haveAccount} <a href={paths.signIn}>{t.register.signIn}</a>
      </p>
    </main>
  );
}
