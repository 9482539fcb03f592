import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { gitEnvironment, gitGuardArgs } from '../git-runner.ts';

/**
 * Blobs by name (`<revision>:<path>`) through one `git cat-file --batch` process instead of one git
 * per file: a cycle reads about a hundred files of the target repository, and each spawn of a
 * process of several hundred MiB costs tens of milliseconds. The process answers in the order it
 * was asked, stays while reads keep coming and exits after IDLE_MS without one, so a moved HEAD is
 * seen by the next cycle. A name git cannot find, or that is not a blob, reads as null.
 */
const IDLE_MS = 50;

interface Waiter {
  resolve(text: string | null): void;
  reject(error: Error): void;
}

export function createCatFileBatch(repoDir: string, config: readonly string[]) {
  let child: ChildProcessWithoutNullStreams | null = null;
  let waiting: Waiter[] = [];
  let pending: Buffer = Buffer.alloc(0);
  let idle: NodeJS.Timeout | null = null;

  const fail = (error: Error) => {
    const failed = waiting;
    waiting = [];
    pending = Buffer.alloc(0);
    child = null;
    for (const waiter of failed) waiter.reject(error);
  };

  const parse = () => {
    while (waiting.length) {
      const newline = pending.indexOf(10);
      if (newline === -1) return;
      const header = pending.subarray(0, newline).toString('utf8');
      if (header.endsWith(' missing') || header.endsWith(' ambiguous')) {
        pending = pending.subarray(newline + 1);
        waiting.shift()!.resolve(null);
        continue;
      }
      const [, type, size] = header.split(' ');
      const length = Number(size);
      if (!Number.isSafeInteger(length)) return fail(new Error(`git cat-file answered an unreadable header: ${header}`));
      if (pending.length < newline + 1 + length + 1) return;
      const content = pending.subarray(newline + 1, newline + 1 + length);
      pending = pending.subarray(newline + 1 + length + 1);
      waiting.shift()!.resolve(type === 'blob' ? content.toString('utf8') : null);
    }
  };

  const start = (): ChildProcessWithoutNullStreams => {
    const started = spawn('git', [...gitGuardArgs(config), 'cat-file', '--batch'], { cwd: repoDir, env: gitEnvironment() });
    started.stdout.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      parse();
    });
    let stderr = '';
    started.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    started.stdin.on('error', () => undefined); // an exit before reading all input is reported by 'exit'
    started.on('error', (error) => child === started && fail(error));
    started.on('exit', (code) => {
      if (child !== started) return;
      if (waiting.length) fail(new Error(`git cat-file --batch exited with ${code}: ${stderr.trim()}`));
      child = null;
    });
    return started;
  };

  return {
    /** The blob's text, or null when the name is not a blob. Names with a line break are not asked here. */
    read(name: string): Promise<string | null> {
      if (/[\r\n]/.test(name)) throw new RangeError('A cat-file batch name cannot hold a line break');
      if (idle) clearTimeout(idle);
      idle = null;
      const process = (child ??= start());
      return new Promise<string | null>((resolve, reject) => {
        waiting.push({
          resolve: (text) => {
            resolve(text);
            if (!waiting.length && child === process) scheduleExit(process);
          },
          reject,
        });
        process.stdin.write(`${name}\n`);
      });
    },
  };

  function scheduleExit(process: ChildProcessWithoutNullStreams) {
    idle = setTimeout(() => {
      if (child !== process || waiting.length) return;
      child = null;
      process.stdin.end();
    }, IDLE_MS);
    idle.unref();
  }
}
