export interface Message {
  uuid: string;
  /** The sender's handle. */
  handle: string;
  message: string;
  created_at: Date;
}

/** A conversation between two users. */
export interface MessageGroup {
  uuid: string;
  members: [string, string];
  created_at: Date;
  messages: Message[];
}

const MINUTE = 60_000;

/** The Cruddur week-2 conversations, timestamps relative to `now`. */
export function seedMessageGroups(now: Date): MessageGroup[] {
  const at = (offset: number) => new Date(now.getTime() + offset);
  return [
    {
      uuid: '24b95582-9e7b-4e0a-9ad1-639773ab7552',
      members: ['andrewbrown', 'worf'],
      created_at: at(-60 * MINUTE),
      messages: [
        { uuid: '4e81c06a-db0f-4281-b4cc-98208537772a', handle: 'andrewbrown', message: 'Cloud is fun!', created_at: at(-60 * MINUTE) },
        { uuid: '66e12864-8c26-4c3a-9658-95a10f8fea67', handle: 'andrewbrown', message: 'This platform is great!', created_at: at(-30 * MINUTE) },
      ],
    },
    {
      uuid: '417c360e-c4e6-4fce-873b-d2d71469b4ac',
      members: ['andrewbrown', 'garek'],
      created_at: at(-120 * MINUTE),
      messages: [
        { uuid: 'f1c8d3b2-7e6a-4d59-a0b4-3c2e1d0f9a87', handle: 'garek', message: 'Have you tried the replicator?', created_at: at(-90 * MINUTE) },
      ],
    },
  ];
}

/** Conversations in memory; new ones live until the process ends. */
export class MessageStore {
  constructor(private readonly groups: MessageGroup[]) {}

  groupsOf(handle: string): MessageGroup[] {
    return this.groups.filter((g) => g.members.includes(handle));
  }

  between(a: string, b: string): MessageGroup | undefined {
    const [x, y] = a < b ? [a, b] : [b, a];
    return this.groups.find(({ members: [m, n] }) => (m < n ? m === x && n === y : n === x && m === y));
  }

  add(group: MessageGroup): void {
    this.groups.push(group);
  }
}
