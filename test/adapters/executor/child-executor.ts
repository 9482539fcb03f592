/** Spawns fixtures/execute-in-child.ts with tsx, collects its JSON lines, and reaps it. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface ChildExecutor {
  child: ChildProcess;
  waitFor(match: (event: Record<string, unknown>) => boolean, timeoutMs: number): Promise<Record<string, unknown>>;
  kill9(): Promise<void>;
  exited: Promise<number | null>;
}

const running = new Set<ChildProcess>();

/** `as` runs the executor under another uid, as the documented non-root deployments run the service. */
export function spawnChildExecutor(settings: Record<string, unknown>, as?: { uid: number; gid: number }): ChildExecutor {
  const file = fileURLToPath(new URL('./fixtures/execute-in-child.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file, JSON.stringify(settings)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(as ? { uid: as.uid, gid: as.gid, env: { ...process.env, HOME: '/nonexistent' } } : {}),
  });
  running.add(child);
  const events: Record<string, unknown>[] = [];
  let buffered = '';
  let errors = '';
  const wakers = new Set<() => void>();
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) events.push(JSON.parse(line) as Record<string, unknown>);
    for (const wake of wakers) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      for (const wake of wakers) wake();
      resolve(code);
    }),
  );
  return {
    child,
    exited,
    waitFor(match, timeoutMs) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => done(() => reject(new Error(`no matching event in ${timeoutMs} ms: ${JSON.stringify(events)}\n${errors}`))),
          timeoutMs,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          wakers.delete(check);
          settle();
        };
        const check = () => {
          const found = events.find(match);
          if (found) done(() => resolve(found));
          else if (child.exitCode !== null || child.signalCode !== null)
            done(() => reject(new Error(`child exited first: ${JSON.stringify(events)}\n${errors}`)));
        };
        wakers.add(check);
        check();
      });
    },
    async kill9() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

export async function reapChildExecutors(): Promise<void> {
  await Promise.all(
    [...running].map((child) => {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGKILL');
      return exited;
    }),
  );
}
