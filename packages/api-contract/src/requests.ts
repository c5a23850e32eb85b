import { z } from 'zod';
import { failsWith } from './codes';
import { LIMITS } from './limits';
import { boundedText, nonBlank } from './text';

/** The lifetimes an activity may be given, as the Cruddur frontend offers them. */
export const TTLS = ['30-days', '7-days', '3-days', '1-day', '12-hours', '3-hours', '1-hour'] as const;
export type Ttl = (typeof TTLS)[number];

/** A user's handle in a path (`@worf`); an unknown one is a 404, a blank one a 422. */
const handle = nonBlank('user_handle_blank').meta({ description: 'A user handle, without the @', examples: ['worf'] });

export const HandleParams = z.object({ handle });

export const ActivityParams = z.object({
  uuid: z.guid().meta({ description: 'An activity uuid; an unknown or expired one is a 404', examples: ['68f126b0-1ceb-4a33-88be-d90fa7109eee'] }),
});

export const SearchQuery = z.object({
  term: boundedText(LIMITS.termChars, 'search_term_blank', 'search_term_exceed_max_chars', 'search_term_contains_nul').meta({
    description: `What the activities' messages must contain (any case), at most ${LIMITS.termChars} characters`,
    examples: ['cloud'],
  }),
});

export const NewActivity = z
  .object({
    message: boundedText(LIMITS.activityChars, 'message_blank', 'message_exceed_max_chars', 'message_contains_nul'),
    ttl: z.enum(TTLS, failsWith('ttl_blank')).meta({ description: 'How long the activity lives' }),
  })
  .meta({ id: 'NewActivity', description: 'An activity to post as the acting user; the message is stored trimmed' });

export const NewReply = z
  .object({ message: boundedText(LIMITS.replyChars, 'message_blank', 'message_exceed_max_chars', 'message_contains_nul') })
  .meta({ id: 'NewReply', description: 'A reply to a live activity, as the acting user' });

export const NewMessage = z
  .object({
    message: boundedText(LIMITS.messageChars, 'message_blank', 'message_exceed_max_chars', 'message_contains_nul'),
    user_receiver_handle: nonBlank('user_receiver_handle_blank').meta({ description: 'Who receives it (a known handle)', examples: ['worf'] }),
  })
  .meta({ id: 'NewMessage', description: 'A direct message from the acting user; the conversation starts if there was none' });

/** The search service's question to the activities service (internal); a bad value falls back rather than failing. */
export const FindQuery = z.object({
  // A repeated ?term= arrives as a list: treated as no term, as a bad limit falls back.
  term: z.string().catch(''),
  limit: z.coerce.number().int().min(1).max(100).catch(LIMITS.searchResults),
});

/** A batch lookup of the users service (internal): `handles=a,b,c`, split, trimmed, empty ones left out. */
export const LookupQuery = z.object({
  handles: z
    .string()
    .catch('')
    .transform((raw) => raw.split(',').map((h) => h.trim()).filter(Boolean)),
});

/** The handles one batch lookup may ask for. */
export const HandleList = z.array(z.string()).max(LIMITS.lookupHandles, failsWith('user_handles_exceed_max'));
