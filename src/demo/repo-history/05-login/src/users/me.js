import { db } from '../db.js';
import { HttpError } from '../errors.js';

/** GET /api/users/me?session= — the signed-in user. */
export async function getCurrentUser({ query }) {
  const id = Number(String(query.session ?? '').replace(/^sess_/, ''));
  const user = Number.isInteger(id) ? await db.fetchUser(id) : null;
  if (!user) throw new HttpError(401, 'unauthorized', 'Sign in first');
  return { status: 200, body: user };
}
