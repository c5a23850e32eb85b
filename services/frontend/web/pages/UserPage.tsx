import { useApi } from '../app/api-context';
import { useLoad } from '../app/use-load';
import { ActivityCard } from '../components/ActivityCard';
import { LoadView } from '../components/LoadView';

/** A user's newest live activities. */
export function UserPage({ handle }: { handle: string }) {
  const api = useApi();
  const { loaded, reload } = useLoad(() => api.call('userActivities', { params: { handle } }), `user ${handle}`);
  const now = Date.now();
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">@{handle}</h1>
      <LoadView loaded={loaded} onRetry={reload}>
        {(activities) =>
          activities.length === 0 ? (
            <p className="empty">@{handle} has no live activities.</p>
          ) : (
            <div className="feed" data-feed="user">
              {activities.map((activity) => (
                <ActivityCard key={activity.uuid} activity={activity} now={now} />
              ))}
            </div>
          )
        }
      </LoadView>
    </section>
  );
}
