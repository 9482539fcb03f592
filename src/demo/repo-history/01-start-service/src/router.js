import { createServer } from 'node:http';
import { HttpError, toErrorLog } from './errors.js';

/**
 * A small Express-style router, so that the service runs with no dependencies. A handler receives
 * `{ params, query, body }` and returns `{ status, body }`, or throws.
 * @param {{ logError?: (entry: object) => void }} [options]
 */
export function createApp({ logError = (entry) => console.error(JSON.stringify(entry)) } = {}) {
  const routes = [];
  const register = (method) => (path, handler) => {
    routes.push({ method, path, match: compilePath(path), handler });
  };

  async function handle(request) {
    const route = routes.find((candidate) => candidate.method === request.method && candidate.match(request.path));
    if (!route) return { status: 404, body: { error: 'not_found' } };
    try {
      return await route.handler({ params: route.match(request.path), query: request.query ?? {}, body: request.body ?? {} });
    } catch (error) {
      if (error instanceof HttpError) return { status: error.status, body: { error: error.code, message: error.message } };
      logError(toErrorLog(error, `${route.method} ${route.path}`));
      return { status: 500, body: { error: 'internal' } };
    }
  }

  function listen(port, host = '127.0.0.1') {
    const server = createServer(async (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const response = await handle({
        method: req.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        body: raw ? JSON.parse(raw) : {},
      });
      const text = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
      res.writeHead(response.status, { 'content-type': response.contentType ?? 'application/json' });
      res.end(text);
    });
    return server.listen(port, host);
  }

  return { get: register('GET'), post: register('POST'), handle, listen };
}

/** '/api/orders/:id' → a function that returns the params of a matching path, or null. */
function compilePath(path) {
  const names = [];
  const pattern = path.replace(/:(\w+)/g, (_, name) => {
    names.push(name);
    return '([^/]+)';
  });
  const regex = new RegExp(`^${pattern}$`);
  return (candidate) => {
    const found = regex.exec(candidate);
    return found ? Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(found[i + 1])])) : null;
  };
}
