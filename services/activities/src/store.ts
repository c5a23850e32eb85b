/** An activity as stored: the author by handle only; display names live with the users service. */
export interface Reply {
  uuid: string;
  reply_to_activity_uuid: string;
  handle: string;
  message: string;
  likes_count: number;
  reposts_count: number;
  created_at: Date;
}

export interface Activity {
  uuid: string;
  handle: string;
  message: string;
  likes_count: number;
  reposts_count: number;
  created_at: Date;
  expires_at: Date;
  replies: Reply[];
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The Cruddur week-2 mock data, its timestamps relative to `now`. */
export function seedActivities(now: Date): Activity[] {
  const at = (offset: number) => new Date(now.getTime() + offset);
  return [
    {
      uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
      handle: 'andrewbrown',
      message: 'Cloud is very fun!',
      likes_count: 5,
      reposts_count: 0,
      created_at: at(-2 * DAY),
      expires_at: at(5 * DAY),
      replies: [
        {
          uuid: '26e12864-1c26-5c3a-9658-97a10f8fea67',
          reply_to_activity_uuid: '68f126b0-1ceb-4a33-88be-d90fa7109eee',
          handle: 'worf',
          message: 'This post has no honor!',
          likes_count: 0,
          reposts_count: 0,
          created_at: at(-2 * DAY),
        },
      ],
    },
    {
      uuid: '66e12864-8c26-4c3a-9658-95a10f8fea67',
      handle: 'worf',
      message: 'I am out of prune juice',
      likes_count: 0,
      reposts_count: 0,
      created_at: at(-7 * DAY),
      expires_at: at(9 * DAY),
      replies: [],
    },
    {
      uuid: '248959df-3079-4947-b847-9e0892d1bab4',
      handle: 'garek',
      message: 'My dear doctor, I am just simple tailor',
      likes_count: 0,
      reposts_count: 0,
      created_at: at(-1 * HOUR),
      expires_at: at(12 * HOUR),
      replies: [],
    },
    {
      uuid: 'c4f0b7d2-5b8e-4f21-a3c6-9e1d2f7a8b90',
      handle: 'andrewbrown',
      message: 'Cloud is fun!',
      likes_count: 0,
      reposts_count: 0,
      created_at: at(-1 * DAY),
      expires_at: at(31 * DAY),
      replies: [],
    },
  ];
}

/** How many writes between sweeps for expired activities. */
const PRUNE_EVERY = 100;

/** Activities in memory; writes live until the process ends or they expire. */
export class ActivityStore {
  private readonly byUuid = new Map<string, Activity>();
  private writes = 0;

  constructor(seed: Activity[]) {
    for (const activity of seed) this.byUuid.set(activity.uuid, activity);
  }

  get(uuid: string): Activity | undefined {
    return this.byUuid.get(uuid);
  }

  /** Adds an activity; expired ones are dropped from time to time, so a long run's store stays bounded by its TTLs. */
  add(activity: Activity, now: Date = activity.created_at): void {
    this.byUuid.set(activity.uuid, activity);
    if (++this.writes % PRUNE_EVERY === 0) {
      for (const [uuid, a] of this.byUuid) if (a.expires_at <= now) this.byUuid.delete(uuid);
    }
  }

  /** Unexpired activities matching `keep`, newest first. */
  live(now: Date, keep: (activity: Activity) => boolean = () => true): Activity[] {
    return [...this.byUuid.values()]
      .filter((a) => a.expires_at > now && keep(a))
      .sort((a, b) => b.created_at.getTime() - a.created_at.getTime());
  }
}
