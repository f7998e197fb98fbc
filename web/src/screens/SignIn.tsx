/**
 * Sign in: e-mail and password; the server answers with an HttpOnly cookie. When the account's
 * second factor is on, the password step answers with a challenge instead, and the screen asks
 * for the code from the authenticator app (or a recovery code) before the cookie is set.
 */
import { useLocation } from "preact-iso";
import { useState } from "preact/hooks";
import { myRoles, signIn, signInWithCode, type AuthAnswer } from "../api/auth";
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
  const [challenge, setChallenge] = useState("");
  const [code, setCode] = useState("");

  async function finish(answer: AuthAnswer) {
    if ("error" in answer) return setError(`${t.signIn.failed}: ${answer.error}`);
    await startSession({ account: answer.account, roles: (await myRoles(api)) ?? [] });
    route(paths.log);
  }

  async function attempt(step: () => Promise<void>) {
    setBusy(true);
    setError("");
    try {
      await step();
    } catch {
      setError(t.signIn.offline);
    } finally {
      setBusy(false);
    }
  }

  async function submit(event: Event) {
    event.preventDefault();
    await attempt(async () => {
      const answer = await signIn(api, email, password);
      if ("challenge" in answer) {
        setPassword("");
        return setChallenge(answer.challenge);
      }
      await finish(answer);
    });
  }

  async function submitCode(event: Event) {
    event.preventDefault();
    await attempt(async () => finish(await signInWithCode(api, challenge, code)));
  }

  if (challenge) {
    return (
      <main id="main" class="narrow">
        <h1>{t.signIn.codeHeading}</h1>
        <p>{t.signIn.codeIntro}</p>
        <form onSubmit={submitCode}>
          <TextField
            id="second-factor-code"
            label={t.signIn.code}
            hint={t.signIn.codeHint}
            autocomplete="one-time-code"
            required
            value={code}
            onInput={setCode}
          />
          <ErrorMessage>{error}</ErrorMessage>
          <button type="submit" class="primary" disabled={busy}>
            {t.signIn.confirmCode}
          </button>
        </form>
        <p>
          <button type="button" onClick={() => (setChallenge(""), setCode(""), setError(""))}>
            {t.signIn.startAgain}
          </button>
        </p>
      </main>
    );
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
