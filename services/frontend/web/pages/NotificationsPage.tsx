import { useApi } from '../app/api-context';
import { useLoad } from '../app/use-load';
import { ActivityCard } from '../components/ActivityCard';
import { LoadView } from '../components/LoadView';

/** The acting user's notifications, shown as activities. */
export function NotificationsPage() {
  const api = useApi();
  const { loaded, reload } = useLoad(() => api.call('notifications', {}), 'notifications');
  const now = Date.now();
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Notifications</h1>
      <LoadView loaded={loaded} onRetry={reload}>
        {(notifications) =>
          notifications.length === 0 ? (
            <p className="empty">No notifications.</p>
          ) : (
            <div className="feed" data-feed="notifications">
              {notifications.map((notification) => (
                <ActivityCard key={notification.uuid} activity={notification} now={now} />
              ))}
            </div>
          )
        }
      </LoadView>
    </section>
  );
}
