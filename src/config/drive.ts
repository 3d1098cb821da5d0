/** The `drive` key of a pair (contracts.md §2): "me" | "user:<id>" | "sharedrive:<id>" | "group:<groupId>". */
import type { DriveRef } from '../remote/types.js';

export const DRIVE_EXPECTED = 'expected "me", "user:<id>", "sharedrive:<id>" or "group:<groupId>"';

/** Returns the DriveRef, or null when the string is none of the accepted forms. */
export function parseDrive(spec: string): DriveRef | null {
  if (spec === 'me') return { kind: 'user', userId: 'me' };
  const m = /^(user|sharedrive|group):(.+)$/.exec(spec);
  if (!m || /\s/.test(m[2] as string)) return null;
  const id = m[2] as string;
  if (m[1] === 'user') return { kind: 'user', userId: id };
  if (m[1] === 'sharedrive') return { kind: 'sharedrive', id };
  return { kind: 'group', groupId: id };
}
