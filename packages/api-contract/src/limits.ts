/**
 * The bounds the API promises: how long a text may be (in characters, i.e. code points) and
 * how many items an answer holds at most, so every answer stays bounded however much a
 * long run writes. The schemas state them and the services apply them.
 */
export const LIMITS = {
  activityChars: 280,
  replyChars: 1024,
  messageChars: 1024,
  /** A bound on search work and on the term recorded on spans. */
  termChars: 100,
  /** Activities a feed (home, a user's page) shows, newest first. */
  feedActivities: 50,
  /** Activities one search answers with. */
  searchResults: 20,
  /** Replies an activity shows, its newest; `replies_count` gives the total. */
  repliesShown: 20,
  /** Messages a conversation shows, its newest, oldest first. */
  messagesShown: 50,
  /** Handles one batch lookup of the users service may ask for. */
  lookupHandles: 100,
} as const;
