import type { UserShort } from '@cruddur/api-contract';

export interface User extends UserShort {
  bio: string;
}

/** The Cruddur mock users; the handles are the ones the other services' data refers to. */
export function seedUsers(): Map<string, User> {
  const users: User[] = [
    { uuid: '7c0f8dab-0d4e-4b2c-9d5b-cb61f5b5e1a1', handle: 'andrewbrown', display_name: 'Andrew Brown', bio: 'Cloud is fun!' },
    { uuid: '1f4f3a9e-6f5d-4b0e-8a53-6e2d8f3c0b72', handle: 'worf', display_name: 'Worf', bio: 'Son of Mogh.' },
    { uuid: 'b9d1e0c4-2a67-4e39-9b8e-5c1a7d4f6e03', handle: 'garek', display_name: 'Garek', bio: 'Just a simple tailor.' },
  ];
  return new Map(users.map((user) => [user.handle, user]));
}

export type UserStore = Map<string, User>;
