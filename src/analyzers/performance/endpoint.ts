/** An endpoint as telemetry names it: "GET /api/orders/:id", or a bare path when no method is logged. */
export interface EndpointName {
  method: string | null;
  path: string;
}

const METHODS = new Set(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']);

export function parseEndpoint(endpoint: string): EndpointName {
  const [first, ...rest] = endpoint.trim().split(/\s+/);
  if (first && rest.length && METHODS.has(first.toUpperCase())) return { method: first.toUpperCase(), path: rest.join(' ') };
  return { method: null, path: endpoint.trim() };
}

/** Reads are what a cache can serve; a bare path is assumed not to be one. */
export function isReadOnly(endpoint: string): boolean {
  const { method } = parseEndpoint(endpoint);
  return method === 'GET' || method === 'HEAD';
}
