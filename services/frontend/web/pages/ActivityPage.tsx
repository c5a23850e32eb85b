import { withReply } from '../app/activity-updates';
import { useApi } from '../app/api-context';
import { useLoad } from '../app/use-load';
import { ActivityCard } from '../components/ActivityCard';
import { LoadView } from '../components/LoadView';

/** One activity with its replies and the form to reply. */
export function ActivityPage({ uuid }: { uuid: string }) {
  const api = useApi();
  const { loaded, reload, update } = useLoad(() => api.call('showActivity', { params: { uuid } }), `activity ${uuid}`);
  return (
    <section aria-labelledby="page-title">
      <h1 id="page-title">Activity</h1>
      <LoadView loaded={loaded} onRetry={reload}>
        {(activity) => <ActivityCard activity={activity} now={Date.now()} onReplied={(reply) => update((a) => withReply(a, reply))} />}
      </LoadView>
    </section>
  );
}
