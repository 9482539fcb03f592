import { db } from '../db.js';

/**
 * The user of a workspace with this email address. Login tokens are only issued to existing users,
 * so a token whose user cannot be found means the data is inconsistent.
 * @param {number} workspaceId
 * @param {string} email
 */
export async function findUserByEmail(workspaceId, email) {
  const wanted = email.trim().toLowerCase();
  const users = await db.fetchUsers(workspaceId);
  const user = users.find((candidate) => candidate.email === wanted);
  if (!user) throw new Error(`User record missing for ${wanted} in workspace ${workspaceId}`);
  return user;
}
