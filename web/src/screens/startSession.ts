import { forgetPendingSignOut } from "../api/auth";
import { otherAccountOnPhone, forgetEverything, rememberSession, unsentCount, type StoredSession } from "../sync/session";
import { useApp } from "../services";
import { t } from "../strings";

/**
 * After sign-in or registration: another account's data on the phone is deleted first, so it
 * can never reach this account. If some of it is unsent the worker is asked; declining keeps
 * it and leaves them on the sign-in screen.
 */
export function useStartSession() {
  const { db, setSession } = useApp();
  return async (session: StoredSession) => {
    const other = await otherAccountOnPhone(db, session.account);
    if (other) {
      const unsent = await unsentCount(db);
      if (unsent > 0 && !confirm(t.account.unsentWarning(unsent))) return;
      await forgetEverything(db);
    }
    forgetPendingSignOut();
    await rememberSession(db, session);
    setSession(session);
  };
}
