import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createEmbeddedStore } from '../../../src/adapters/store/embedded/embedded-store.ts';
import { STATUSES, type Proposal } from '../../../src/domain/proposal.ts';
import type { ProposalStore } from '../../../src/ports/store.ts';
import { makeDraft } from '../../helpers/drafts.ts';
import { makeStoreDir } from '../../helpers/embedded.ts';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

type Line = Record<string, unknown>;

interface Child {
  process: ChildProcessWithoutNullStreams;
  lines: Line[];
  /** Resolves once the lines printed so far satisfy `test`; rejects if the child ends first. */
  waitFor(test: (lines: Line[]) => boolean): Promise<void>;
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Children still running when a test ends (it failed or timed out) are killed, so none writes on forever. */
const running = new Set<ChildProcessWithoutNullStreams>();

function spawnFixture(script: string, args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL(`./fixtures/${script}`, import.meta.url)), ...args], {
    cwd: repoRoot,
  });
  running.add(child);
  child.on('exit', () => running.delete(child));
  const lines: Line[] = [];
  const listeners = new Set<() => void>();
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    lines.push(JSON.parse(line) as Line);
    for (const listener of listeners) listener();
  });
  const closed = once(child, 'close').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    stderr,
  }));
  return {
    process: child,
    lines,
    closed,
    waitFor: (test) =>
      new Promise((resolve, reject) => {
        const check = () => test(lines) && (listeners.delete(check), resolve());
        listeners.add(check);
        check();
        void closed.then((end) => reject(new Error(`${script} ended (${end.code ?? end.signal}) before it got there:\n${end.stderr}`)));
      }),
  };
}

/** The `current:*` counters are kept in step with the rows by the same transactions; check that they are. */
async function expectCountersToMatchRows(store: ProposalStore): Promise<void> {
  const counters = await store.counters();
  expect(counters['proposed']).toBe((await store.list({ limit: 1, offset: 0 })).total);
  for (const status of STATUSES) {
    const rows = (await store.list({ status, limit: 1, offset: 0 })).total;
    expect({ status, count: counters[`current:status:${status}`] ?? 0 }).toEqual({ status, count: rows });
  }
}

describe('embedded store durability', () => {
  let temp: Awaited<ReturnType<typeof makeStoreDir>>;
  let store: ProposalStore | undefined;
  beforeEach(async () => {
    temp = await makeStoreDir();
  });
  afterEach(async () => {
    for (const child of running) child.kill('SIGKILL');
    await store?.close();
    store = undefined;
    await temp.remove();
  });

  it('keeps every proposal, its history and the counters after the writing process exits', async () => {
    const child = spawnFixture('write-and-exit.ts', [temp.file, '40']);
    const end = await child.closed;
    expect(end, end.stderr).toMatchObject({ code: 0 });
    const written = child.lines[0] as { proposals: Proposal[]; counters: Record<string, number> };
    expect(written.proposals).toHaveLength(40);

    store = createEmbeddedStore({ file: temp.file });
    for (const proposal of written.proposals) {
      expect(await store.get(proposal.id)).toEqual(proposal);
      expect(proposal.version).toBe(proposal.history.length);
    }
    expect(await store.counters()).toEqual(written.counters);
    await expectCountersToMatchRows(store);
  });

  it('keeps every acknowledged write of a process killed with SIGKILL in the middle of writing', async () => {
    const child = spawnFixture('write-until-killed.ts', [temp.file]);
    await child.waitFor((lines) => lines.length >= 300);
    child.process.kill('SIGKILL');
    expect((await child.closed).signal).toBe('SIGKILL');
    const acknowledged = new Map<string, number>();
    for (const { id, version } of child.lines as Array<{ id: string; version: number }>) {
      acknowledged.set(id, Math.max(version, acknowledged.get(id) ?? 0));
    }

    store = createEmbeddedStore({ file: temp.file });
    for (const [id, version] of acknowledged) {
      const proposal = await store.get(id);
      expect(proposal?.version, id).toBeGreaterThanOrEqual(version);
      expect(proposal?.history).toHaveLength(proposal!.version);
    }
    const db = new Database(temp.file, { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    await expectCountersToMatchRows(store);
  });

  it('loses nothing when the server and the CLI write at the same time, and gives each raced approval one winner', async () => {
    const setup = createEmbeddedStore({ file: temp.file });
    const shared: string[] = [];
    for (let i = 0; i < 50; i++) shared.push((await setup.create(makeDraft(), { actor: 'setup' })).id);
    await setup.close();

    const children = ['server', 'cli'].map((role) => spawnFixture('race-writer.ts', [temp.file, role, shared.join(',')]));
    await Promise.all(children.map((c) => c.waitFor((lines) => lines.some((l) => 'ready' in l))));
    for (const c of children) c.process.stdin.end('go\n');
    for (const end of await Promise.all(children.map((c) => c.closed))) expect(end, end.stderr).toMatchObject({ code: 0 });

    store = createEmbeddedStore({ file: temp.file });
    const created = children.map((c) => c.lines.flatMap((l) => (typeof l['created'] === 'string' ? [l['created']] : [])));
    expect(created.map((ids) => ids.length)).toEqual([200, 200]);
    const filed = await Promise.all(created.flat().map((id) => store!.get(id)));
    expect(filed.every((p) => p?.status === 'pending' && p.version === 1)).toBe(true);
    // Both processes were filing during the same interval, or this test raced nothing.
    const [server, cli] = created.map((ids) => ids.map((id) => Date.parse(filed.find((p) => p?.id === id)!.createdAt)));
    expect(Math.min(...server!)).toBeLessThan(Math.max(...cli!));
    expect(Math.min(...cli!)).toBeLessThan(Math.max(...server!));

    const outcomes = children.flatMap((c) => c.lines);
    const winners = outcomes.flatMap((l) => (typeof l['approved'] === 'string' ? [l['approved']] : []));
    expect(winners.sort()).toEqual([...shared].sort());
    expect(outcomes.filter((l) => 'conflict' in l)).toHaveLength(50);
    for (const id of shared) {
      const proposal = (await store.get(id))!;
      expect(proposal.history.filter((h) => h.action === 'approved')).toHaveLength(1);
      expect(proposal.version).toBe(proposal.history.length);
    }
    expect(await store.counters()).toMatchObject({
      proposed: 450,
      'decided:approved': 50,
      'current:status:pending': 400,
      'current:status:approved': 50,
    });
    await expectCountersToMatchRows(store);
  });
});
