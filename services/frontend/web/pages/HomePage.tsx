import { useEffect } from 'react';
import { withReply } from '../app/activity-updates';
import { useApi } from '../app/api-context';
import { FIRST_FEED_MARK } from '../app/marks';
import { useLoad } from '../app/use-load';
import { ActivityCard } from '../components/ActivityCard';
import { ActivityForm } from '../components/ActivityForm';
import { LoadView } from '../components/LoadView';

/** The home feed: the form to post, then the newest live activities with their replies. */
export function HomePage() {
  const api = useApi();
  const { loaded, reload, update } = useLoad(() => api.call('homeActivities', {}), 'home');
  useEffect(() => {
    // When the first feed is on screen: the budget the browser test measures from navigation.
    if (loaded.state === 'loaded' && performance.getEntriesByName(FIRST_FEED_MARK).length === 0) performance.mark(FIRST_FEED_MARK);
  }, [loaded.state]);
  const now = Date.now();
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Home</h1>
      <ActivityForm onPosted={(activity) => update((feed) => [activity, ...feed])} />
      <LoadView loaded={loaded} onRetry={reload}>
        {(feed) =>
          feed.length === 0 ? (
            <p className="empty">Nothing here yet: post the first activity.</p>
          ) : (
            <div className="feed" data-feed="home">
              {feed.map((activity) => (
                <ActivityCard key={activity.uuid} activity={activity} now={now} onReplied={(reply) => update((list) => list.map((a) => withReply(a, reply)))} />
              ))}
            </div>
          )
        }
      </LoadView>
    </section>
  );
}
