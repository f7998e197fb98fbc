/** A screen the navigation already names but that is not written yet (see web/README.md). */
import { t } from "../strings";

export function NotBuiltScreen() {
  return (
    <>
      <h1>{t.notBuilt.heading}</h1>
      <p>{t.notBuilt.body}</p>
    </>
  );
}
