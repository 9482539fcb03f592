import { db } from '../db.js';
import { HttpError } from '../errors.js';
import { findUserByEmail } from '../users/find-user.js';

/** POST /api/auth/login { token } — exchanges a magic-link token for the user's session. */
export async function login({ body }) {
  const grant = await db.fetchLoginToken(String(body.token ?? ''));
  if (!grant) throw new HttpError(401, 'unauthorized', 'This login link is invalid or has expired');
  const user = await findUserByEmail(grant.workspaceId, grant.email);
  return { status: 200, body: { userId: user.id, workspaceId: user.workspaceId, session: `sess_${user.id}` } };
}
