/** Child processes for the schedule tests: spawned with tsx, their JSON-line output collected, always reaped. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface TestProcess {
  child: ChildProcess;
  pid: number;
  events: Record<string, unknown>[];
  /** Resolves with the first event matching, or rejects after `timeoutMs`. */
  waitFor(match: (event: Record<string, unknown>) => boolean, timeoutMs: number): Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
  stderr(): string;
}

const running = new Set<ChildProcess>();

export function spawnFixture(fixture: string, settings: unknown): TestProcess {
  const file = fileURLToPath(new URL(`./fixtures/${fixture}`, import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file, JSON.stringify(settings)], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  const events: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let buffered = '';
  let errors = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.trim()) events.push(JSON.parse(line) as Record<string, unknown>);
    for (const wake of waiters) wake();
  });
  child.stderr!.on('data', (chunk: Buffer) => (errors = (errors + chunk.toString()).slice(-4000)));
  const exited = new Promise<number | null>((resolve) =>
    child.once('exit', (code) => {
      running.delete(child);
      for (const wake of waiters) wake();
      resolve(code);
    }),
  );
  return {
    child,
    pid: child.pid!,
    events,
    exited,
    stderr: () => errors,
    waitFor(match, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (found) return finish(() => resolve(found));
          if (child.exitCode !== null || child.signalCode !== null)
            finish(() => reject(new Error(`process exited before the event; stderr:\n${errors}`)));
        };
        const timer = setTimeout(
          () =>
            finish(() =>
              reject(new Error(`no matching event within ${timeoutMs} ms; events: ${JSON.stringify(events)}\nstderr:\n${errors}`)),
            ),
          timeoutMs,
        );
        const finish = (settle: () => void) => {
          clearTimeout(timer);
          waiters.delete(check);
          settle();
        };
        waiters.add(check);
        check();
      });
    },
  };
}

/** Kills every fixture process still running (continuing stopped ones first, so SIGKILL is not queued behind SIGSTOP). */
export async function reapFixtures(): Promise<void> {
  const exits = [...running].map((child) => {
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    return exited;
  });
  await Promise.all(exits);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
