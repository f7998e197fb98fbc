/** The frame of every signed-in screen: skip link, title, navigation, sync state, content. */
import type { ComponentChildren } from "preact";
import { useLocation } from "preact-iso";
import { visibleNavigation } from "../routes";
import { useApp } from "../services";
import { t } from "../strings";
import { SyncStatus } from "./SyncStatus";

/** "/app" and "/app/" are the same screen. */
function samePath(a: string, b: string): boolean {
  return a.replace(/\/$/, "") === b.replace(/\/$/, "");
}

export function Shell({ children }: { children: ComponentChildren }) {
  const { session } = useApp();
  const { path } = useLocation();
  return (
    <>
      <a class="skip-link" href="#main">
        {t.skipToContent}
      </a>
      <header class="app-header">
        <span class="app-name">{t.appName}</span>
        <SyncStatus />
      </header>
      <nav aria-label={t.nav.label} class="app-nav">
        <ul>
          {visibleNavigation(session?.roles ?? []).map((entry) => (
            <li key={entry.href}>
              <a href={entry.href} aria-current={samePath(path, entry.href) ? "page" : undefined}>
                {entry.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
