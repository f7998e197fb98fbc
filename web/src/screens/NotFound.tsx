import { paths } from "../routes";
import { t } from "../strings";

export function NotFoundScreen() {
  return (
    <>
      <h1>{t.notFound}</h1>
      <p>
        <a href={paths.log}>{t.nav.log}</a>
      </p>
    </>
  );
}
