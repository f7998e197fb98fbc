/** The note every online-only screen shows while there is no connection; what is on screen stays. */
import { t } from "../../strings";
import { useOnline } from "./hooks";

export function OnlineOnlyNote() {
  const online = useOnline();
  return online ? null : (
    <p class="offline-note" role="alert">
      {t.online.needed}
    </p>
  );
}
