/** GET /api/health — answers while the process is up. */
export function health() {
  return { status: 200, body: { status: 'ok' } };
}
