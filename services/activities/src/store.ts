import { hasNul, LIMITS } from '@cruddur/api-contract';
import { containsPattern, isUuid, type Queryable } from '@cruddur/store-kit';
import { SEED_ACTIVITIES } from './migrations/0002_seed-week-2';

/** A reply as stored: the author by handle only; display names live with the users service. */
export interface Reply {
  uuid: string;
  reply_to_activity_uuid: string;
  handle: string;
  message: string;
  likes_count: number;
  reposts_count: number;
  created_at: Date;
}

/** An activity as read: its newest replies (at most LIMITS.repliesShown, oldest first) and how many it has. */
export interface Activity {
  uuid: string;
  handle: string;
  message: string;
  likes_count: number;
  reposts_count: number;
  replies_count: number;
  created_at: Date;
  expires_at: Date;
  replies: Reply[];
}

/** An activity to write: a new one has no replies. */
export type ActivityToWrite = Omit<Activity, 'replies' | 'replies_count'>;

/** A reply to write, to the activity it answers, at a time. */
export type ReplyToWrite = Omit<Reply, 'likes_count' | 'reposts_count'>;

/** The week-2 activities with their times relative to `now` (what the seed migration loads, for tests on a fixed clock). */
export function seedActivities(now: Date): Activity[] {
  const at = (offset: number) => new Date(now.getTime() + offset);
  return SEED_ACTIVITIES.map(({ created_offset, expires_offset, replies, ...fields }) => ({
    ...fields,
    replies_count: replies.length,
    created_at: at(created_offset),
    expires_at: at(expires_offset),
    replies: replies.map(({ created_offset: offset, ...reply }) => ({ ...reply, reply_to_activity_uuid: fields.uuid, created_at: at(offset) })),
  }));
}

/** How many activity writes, in this process, between sweeps of the expired ones. */
export const PRUNE_EVERY = 100;
/** The most expired activities one sweep deletes, so a sweep stays a short statement. */
export const PRUNE_BATCH = 1000;

/** A reply as the feed query hands it over: JSON, its time in epoch milliseconds. */
interface ReplyJson {
  uuid: string;
  handle: string;
  message: string;
  likes_count: number;
  reposts_count: number;
  created_ms: number;
}

type ActivityRow = Omit<Activity, 'replies'> & { replies: ReplyJson[] };

/**
 * Live activities with their newest replies, in one statement: `where` filters (its
 * parameters from $3 on), $1 is now, $2 the page size. The replies come as one JSON list per
 * activity (built by the server from an index walk), so a feed costs one round trip.
 */
const liveActivities = (where: string) => `
  SELECT a.uuid, a.handle, a.message, a.likes_count, a.reposts_count, a.replies_count, a.created_at, a.expires_at,
         COALESCE(r.replies, '[]'::json) AS replies
  FROM activities.activities a
  LEFT JOIN LATERAL (
    SELECT json_agg(json_build_object(
             'uuid', newest.uuid, 'handle', newest.handle, 'message', newest.message,
             'likes_count', newest.likes_count, 'reposts_count', newest.reposts_count,
             'created_ms', floor(extract(epoch FROM newest.created_at) * 1000)
           ) ORDER BY newest.created_at, newest.seq) AS replies
    FROM (
      SELECT * FROM activities.replies
      WHERE reply_to_activity_uuid = a.uuid
      ORDER BY created_at DESC, seq DESC LIMIT ${LIMITS.repliesShown}
    ) newest
  ) r ON true
  WHERE a.expires_at > $1 ${where}
  ORDER BY a.created_at DESC, a.seq DESC
  LIMIT $2`;

function toActivity({ replies, ...row }: ActivityRow): Activity {
  return {
    ...row,
    replies: replies.map(({ created_ms, ...reply }) => ({ ...reply, reply_to_activity_uuid: row.uuid, created_at: new Date(Number(created_ms)) })),
  };
}

/**
 * The activities in PostgreSQL (schema `activities`, migrations in ./migrations). Expiry is
 * a filter in every read (expires_at after the caller's now); expired rows are swept from time
 * to time as writes go on, so the tables stay bounded by the activities' lifetimes.
 */
export class ActivityStore {
  private writes = 0;

  /** `onSweepFailed` hears of a sweep that failed: the write it followed stands, and the next sweep tries again. */
  constructor(
    private readonly db: Queryable,
    private readonly onSweepFailed: (error: unknown) => void = () => {},
  ) {}

  /** The newest `limit` activities live at `now`. */
  async live(now: Date, limit: number): Promise<Activity[]> {
    const { rows } = await this.db.query<ActivityRow>(liveActivities(''), [now, limit]);
    return rows.map(toActivity);
  }

  /** `handle`'s newest `limit` activities live at `now`. */
  async liveBy(handle: string, now: Date, limit: number): Promise<Activity[]> {
    const { rows } = await this.db.query<ActivityRow>(liveActivities('AND a.handle = $3'), [now, limit, handle]);
    return rows.map(toActivity);
  }

  /**
   * The newest `limit` activities live at `now` whose message contains `term`, in any case,
   * literally: `%` finds a percent sign, `_` an underscore (containsPattern escapes them).
   */
  async liveContaining(term: string, now: Date, limit: number): Promise<Activity[]> {
    // No message holds a NUL (PostgreSQL text cannot): asked, the query would fail instead.
    if (hasNul(term)) return [];
    const { rows } = await this.db.query<ActivityRow>(liveActivities(`AND a.message ILIKE $3 ESCAPE '\\'`), [now, limit, containsPattern(term)]);
    return rows.map(toActivity);
  }

  /** One activity live at `now`, with its newest replies; undefined when unknown or expired (or not a uuid at all). */
  async get(uuid: string, now: Date): Promise<Activity | undefined> {
    if (!isUuid(uuid)) return undefined;
    const { rows } = await this.db.query<ActivityRow>(liveActivities('AND a.uuid = $3'), [now, 1, uuid]);
    return rows[0] && toActivity(rows[0]);
  }

  /** Writes a new activity; every PRUNE_EVERY writes, it also sweeps out up to PRUNE_BATCH expired ones. */
  async add(activity: ActivityToWrite): Promise<void> {
    const a = activity;
    await this.db.query(
      `INSERT INTO activities.activities (uuid, handle, message, likes_count, reposts_count, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [a.uuid, a.handle, a.message, a.likes_count, a.reposts_count, a.created_at, a.expires_at],
    );
    // The activity is stored by now: a failed sweep must not make its answer an error (a
    // client told to try again would post it twice).
    if (++this.writes % PRUNE_EVERY === 0) await this.pruneExpired(a.created_at).catch(this.onSweepFailed);
  }

  /**
   * Writes a reply, if the activity it answers is live at the reply's time: the count goes up
   * and the reply is written in one statement, or neither happens. False when the activity is
   * unknown or expired.
   */
  async reply(reply: ReplyToWrite): Promise<boolean> {
    if (!isUuid(reply.reply_to_activity_uuid)) return false;
    const { rowCount } = await this.db.query(
      `WITH parent AS (
         UPDATE activities.activities SET replies_count = replies_count + 1
         WHERE uuid = $1 AND expires_at > $2
         RETURNING uuid
       )
       INSERT INTO activities.replies (uuid, reply_to_activity_uuid, handle, message, created_at)
       SELECT $3, uuid, $4, $5, $2 FROM parent`,
      [reply.reply_to_activity_uuid, reply.created_at, reply.uuid, reply.handle, reply.message],
    );
    return rowCount === 1;
  }

  /** Deletes up to PRUNE_BATCH activities expired at `now` (their replies go with them); returns how many. */
  async pruneExpired(now: Date): Promise<number> {
    const { rowCount } = await this.db.query(
      `DELETE FROM activities.activities WHERE uuid IN (
         SELECT uuid FROM activities.activities WHERE expires_at <= $1 LIMIT ${PRUNE_BATCH}
       )`,
      [now],
    );
    return rowCount ?? 0;
  }
}
