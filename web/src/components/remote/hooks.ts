/**
 * State of the online-only screens: whether the browser has a connection, data loaded from the
 * API (kept on screen when the connection drops), and buttons that act on the server. Forms keep
 * what the worker typed whatever happens; a failed action shows why and changes nothing here.
 */
import { useCallback, useEffect, useState } from "preact/hooks";
import { RemoteError } from "../../api/remote";
import { t } from "../../strings";

export function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const update = () => setOnline(navigator.onLine);
    globalThis.addEventListener("online", update);
    globalThis.addEventListener("offline", update);
    return () => {
      globalThis.removeEventListener("online", update);
      globalThis.removeEventListener("offline", update);
    };
  }, []);
  return online;
}

export function messageOf(failure: unknown): string {
  if (failure instanceof RemoteError) return failure.offline ? t.online.unreachable : t.problem(failure.message);
  return String(failure);
}

export interface Loaded<T> {
  value: T | undefined;
  error: string;
  /** A request is on its way (never while offline). */
  loading: boolean;
  reload: () => Promise<void>;
}

/** `load()`'s answer, fetched now, again by `reload()`, and again when the connection returns. */
export function useRemote<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [value, setValue] = useState<T>();
  const [error, setError] = useState("");
  const online = useOnline();
  const [loading, setLoading] = useState(online);
  const reload = useCallback(async () => {
    setLoading(true);
    try {
      setValue(await load());
      setError("");
    } catch (failure) {
      setError(messageOf(failure));
    } finally {
      setLoading(false);
    }
  }, deps);
  useEffect(() => {
    if (online) void reload();
  }, [reload, online]);
  return { value, error, loading, reload };
}

export interface Action {
  busy: boolean;
  error: string;
  /** Runs `act`; true when it succeeded. Its failure is kept in `error`. */
  run: (act: () => Promise<unknown>) => Promise<boolean>;
}

export function useAction(): Action {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState("");
  async function run(act: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError("");
    try {
      await act();
      return true;
    } catch (failure) {
      setError(messageOf(failure));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run };
}
