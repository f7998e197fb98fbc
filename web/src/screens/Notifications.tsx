/**
 * Notifications of review steps (submitted, commented, changes asked for, verified…), newest
 * first: unread ones marked in words, each linking to its review; opening one or pressing
 * "Mark as read" marks it read (`POST /v1/notifications/{id}/read`, idempotent). Online only.
 */
import { useLocation } from "preact-iso";
import type { Schemas } from "../api/client";
import { need } from "../api/remote";
import { ErrorMessage } from "../components/fields";
import { moment } from "../components/remote/format";
import { useAction, useRemote } from "../components/remote/hooks";
import { OnlineOnlyNote } from "../components/remote/OnlineOnly";
import { paths } from "../routes";
import { useApp } from "../services";
import { t } from "../strings";

type Notification = Schemas["NotificationOut"];

export function NotificationsScreen() {
  const { api } = useApp();
  const { route } = useLocation();
  const notifications = useRemote(
    () =>
      need<Notification[]>(api.GET("/v1/notifications", { params: { query: { limit: 100 } } }), t.online.unreachable),
    [api],
  );
  const action = useAction();

  async function markRead(item: Notification) {
    const request = api.POST("/v1/notifications/{notification_id}/read", {
      params: { path: { notification_id: item.id } },
    });
    return action.run(() => need(request, t.online.unreachable));
  }

  async function open(event: Event, item: Notification) {
    event.preventDefault();
    if (!item.read_at) await markRead(item);
    route(paths.review(item.review_id!));
  }

  const list = notifications.value ?? [];
  return (
    <>
      <h1>{t.notifications.heading}</h1>
      <OnlineOnlyNote />
      <ErrorMessage>{notifications.error || action.error}</ErrorMessage>
      {notifications.value && list.length === 0 && <p>{t.notifications.none}</p>}
      <ul class="plain-list notifications">
        {list.map((item) => (
          <li key={item.id} class={item.read_at ? "notification" : "notification unread"}>
            <span class="badge">{item.read_at ? t.notifications.read : t.notifications.unread}</span>{" "}
            <span class="hint">{moment(item.created_at)}</span>
            <p>{item.message}</p>
            <div class="actions">
              {item.review_id && (
                <a href={paths.review(item.review_id)} onClick={(event) => open(event, item)}>
                  {t.notifications.open}
                </a>
              )}
              {!item.read_at && (
                <button
                  type="button"
                  disabled={action.busy}
                  onClick={async () => (await markRead(item)) && notifications.reload()}
                >
                  {t.notifications.markRead}
                  <span class="visually-hidden">: {item.message}</span>
                </button>
              )}
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
