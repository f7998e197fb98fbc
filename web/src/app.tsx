/**
 * The app: who is signed in, and which screen shows. A worker signed in before starts straight
 * into their log from IndexedDB (offline too); the server's answer to `GET /v1/me` follows and
 * sends them to sign-in only on a 401.
 */
import { LocationProvider, Route, Router, useLocation } from "preact-iso";
import { useEffect, useState } from "preact/hooks";
import { finishPendingSignOut, myRoles, whoAmI } from "./api/auth";
import { Shell } from "./components/Shell";
import { META, readMeta, writeMeta } from "./db/db";
import { paths } from "./routes";
import { AccountScreen } from "./screens/Account";
import { AuditScreen } from "./screens/Audit";
import { AuditRequestScreen } from "./screens/AuditRequest";
import { AuditRequestsScreen } from "./screens/AuditRequests";
import { AuditsScreen } from "./screens/Audits";
import { ConflictScreen } from "./screens/Conflict";
import { CreateAccountScreen } from "./screens/CreateAccount";
import { EditorScreen } from "./screens/Editor";
import { ExportsScreen } from "./screens/Exports";
import { LogScreen } from "./screens/Log";
import { NotFoundScreen } from "./screens/NotFound";
import { NotificationsScreen } from "./screens/Notifications";
import { OrganisationScreen } from "./screens/Organisation";
import { OrganisationsScreen } from "./screens/Organisations";
import { ProgressScreen } from "./screens/Progress";
import { ReviewScreen } from "./screens/Review";
import { ReviewsScreen } from "./screens/Reviews";
import { ShareEntryScreen } from "./screens/ShareEntry";
import { SignInScreen } from "./screens/SignIn";
import { SuggestionScreen } from "./screens/Suggestion";
import { SuggestionsScreen } from "./screens/Suggestions";
import { TeamScreen } from "./screens/Team";
import { WorkforceScreen } from "./screens/Workforce";
import { Context, type Services, type Session } from "./services";
import { refreshRegistrations } from "./sync/registrations";
import type { StepResult } from "./sync/result";

type Known = Session | null | "checking";

function useSession(services: Services): [Known, (session: Session | null) => void] {
  const [session, setSession] = useState<Known>("checking");
  useEffect(() => {
    void (async () => {
      if (await finishPendingSignOut(services.api)) return setSession(null);
      const cached = await readMeta<Session>(services.db, META.account);
      if (cached) setSession(cached);
      const account = await whoAmI(services.api);
      if (account === "signed_out") return setSession(null);
      if (account === "unknown") return setSession(cached ?? null);
      const roles = (await myRoles(services.api)) ?? cached?.roles ?? [];
      const fresh = { account, roles };
      await writeMeta(services.db, META.account, fresh);
      void refreshRegistrations(services.db, services.api);
      setSession(fresh);
    })();
  }, [services]);
  useEffect(() => {
    const onSynced = (event: Event) => (event as CustomEvent<StepResult>).detail === "signed_out" && setSession(null);
    services.engine.addEventListener("synced", onSynced);
    return () => services.engine.removeEventListener("synced", onSynced);
  }, [services]);
  return [session, setSession];
}

function SignedOutRoutes() {
  const { path } = useLocation();
  return path === paths.createAccount ? <CreateAccountScreen /> : <SignInScreen />;
}

function SignedInRoutes() {
  return (
    <Shell>
      <Router>
        <Route path={paths.log} component={LogScreen} />
        <Route path={paths.newEntry} component={EditorScreen} />
        <Route path="/app/entries/:id" component={EditorScreen} />
        <Route path="/app/conflicts/:id" component={ConflictScreen} />
        <Route path={paths.account} component={AccountScreen} />
        <Route path="/app/entries/:id/review" component={ShareEntryScreen} />
        <Route path={paths.progress} component={ProgressScreen} />
        <Route path={paths.reviews} component={ReviewsScreen} />
        <Route path="/app/reviews/:id" component={ReviewScreen} />
        <Route path={paths.team} component={TeamScreen} />
        <Route path={paths.exports} component={ExportsScreen} />
        <Route path={paths.notifications} component={NotificationsScreen} />
        <Route path={paths.auditRequests} component={AuditRequestsScreen} />
        <Route path="/app/audit-requests/:id" component={AuditRequestScreen} />
        <Route path={paths.audits} component={AuditsScreen} />
        <Route path="/app/audits/:id" component={AuditScreen} />
        <Route path={paths.organisations} component={OrganisationsScreen} />
        <Route path="/app/organisations/:id" component={OrganisationScreen} />
        <Route path={paths.workforce} component={WorkforceScreen} />
        <Route path={paths.suggestions} component={SuggestionsScreen} />
        <Route path="/app/suggestions/:id" component={SuggestionScreen} />
        <Route path={paths.signIn} component={LogScreen} />
        <Route path={paths.createAccount} component={LogScreen} />
        <Route default component={NotFoundScreen} />
      </Router>
    </Shell>
  );
}

export function App({ services }: { services: Services }) {
  const [session, setSession] = useSession(services);
  const signedIn = session !== null && session !== "checking";
  useEffect(() => {
    if (!signedIn) return;
    services.engine.start();
    return () => services.engine.stop();
  }, [signedIn, services]);
  if (session === "checking") return null;
  return (
    <Context.Provider value={{ ...services, session, setSession }}>
      <LocationProvider scope="/app/">{signedIn ? <SignedInRoutes /> : <SignedOutRoutes />}</LocationProvider>
    </Context.Provider>
  );
}
