import { parseEndpoint } from './endpoint.ts';

/** The part of the repository reader this needs: listing and reading files. */
export interface SourceFiles {
  listFiles(): Promise<string[]>;
  readFile(path: string): Promise<string | null>;
}

export interface HandlerLocation {
  file: string;
  line: number;
  /** The matched registration, e.g. "app.get('/api/orders/:id', getOrder)". */
  code: string;
}

const SOURCE = /\.(?:[cm]?js|[cm]?ts|jsx|tsx)$/;
const SKIP = /(?:^|\/)(?:node_modules|dist|build|coverage|vendor)\//;
const MAX_FILES = 5000;
const MAX_BYTES = 512 * 1024;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Finds where an endpoint is registered (Express/Koa/Fastify style: `app.get('/api/orders/:id', …)`,
 * `router.post(…)`), so a proposal points at the code to change. Returns every match, test files last.
 */
export async function locateHandlers(repo: SourceFiles, endpoint: string): Promise<HandlerLocation[]> {
  const { method, path } = parseEndpoint(endpoint);
  const verb = method ? method.toLowerCase() : '(?:get|post|put|patch|delete|head|options|all)';
  const pattern = new RegExp(`\\b\\w+\\.(?:${verb}|route)\\(\\s*(['"\`])${escapeRegExp(path)}\\1`, 'i');
  const files = (await repo.listFiles()).filter((f) => SOURCE.test(f) && !SKIP.test(f)).slice(0, MAX_FILES);
  const found: HandlerLocation[] = [];
  for (const file of files) {
    const text = await repo.readFile(file);
    if (!text || text.length > MAX_BYTES || !text.includes(path)) continue;
    text.split('\n').forEach((line, index) => {
      if (pattern.test(line)) found.push({ file, line: index + 1, code: line.trim().slice(0, 200) });
    });
  }
  const isTest = (f: string) => /(?:^|\/)(?:test|tests|__tests__)\/|\.(?:test|spec)\./.test(f);
  return found.sort((a, b) => Number(isTest(a.file)) - Number(isTest(b.file)));
}
