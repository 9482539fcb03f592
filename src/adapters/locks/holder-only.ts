import { open } from 'node:fs/promises';

/**
 * Pieces shared by the leases of the scheduler (one slot of a job) and the executor (one repository):
 * only the holder, who knows the random token, may extend or end a lease, so a holder whose lease
 * expired and was taken over can neither prolong nor delete the new holder's.
 */

/** KEYS: lease. ARGV: token, ttlMs. 1 when extended, 0 when the caller no longer holds it. */
export const RENEW_IF_HOLDER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/** KEYS: lease. ARGV: token. 1 when ended, 0 when the caller no longer holds it. */
export const RELEASE_IF_HOLDER = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/** Creates `file` with `content` only if it does not exist yet (O_EXCL); false when it does. */
export async function createExclusive(file: string, content: string): Promise<boolean> {
  try {
    const handle = await open(file, 'wx');
    try {
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}
