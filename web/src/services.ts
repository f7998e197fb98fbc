/**
 * What the screens share: the database, the API client and the sync engine (made once in
 * main.tsx), and the signed-in account. Screens read state from IndexedDB (useLive) and
 * change it through the sync/ functions: state flows one way, from the database to screens.
 */
import { createContext } from "preact";
import { useContext } from "preact/hooks";
import type { Account, ApiClient } from "./api/client";
import type { CplDatabase } from "./db/db";
import type { SyncEngine } from "./sync/engine";

export interface Services {
  db: CplDatabase;
  api: ApiClient;
  engine: SyncEngine;
}

export interface Session {
  account: Account;
  roles: string[];
}

export interface AppContext extends Services {
  session: Session | null;
  /** After sign-in, or null after sign-out. */
  setSession: (session: Session | null) => void;
}

export const Context = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const app = useContext(Context);
  if (!app) throw new Error("useApp outside <App>");
  return app;
}
