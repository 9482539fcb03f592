/**
 * Tokens spent on answers per UTC day, kept where every replica sees them (Redis) or in this process
 * (the embedded store serves one). `add` returns the new total.
 */
export interface DailyTokenCounter {
  used(key: string): Promise<number>;
  add(key: string, tokens: number): Promise<number>;
}

export interface AssistantBudgetOptions {
  /** Tokens one person may spend per day; 0 = no limit. */
  perUser: number;
  /** Tokens the whole workspace may spend per day; 0 = no limit. */
  perWorkspace: number;
  counter: DailyTokenCounter;
  now?: () => Date;
}

export type BudgetVerdict = { ok: true } | { ok: false; which: 'user' | 'workspace'; limit: number; resetsAt: string };

/**
 * Per-person and per-workspace daily budgets. Checked before every model request, so an answer in
 * progress can overshoot by at most one request; the next question is refused.
 */
export function createAssistantBudget(options: AssistantBudgetOptions) {
  const now = options.now ?? (() => new Date());
  const day = () => now().toISOString().slice(0, 10);
  const keys = (userId: string, teamId: string) => ({ user: `user:${teamId}:${userId}:${day()}`, workspace: `team:${teamId}:${day()}` });
  const resetsAt = () => {
    const t = now();
    return new Date(Date.UTC(t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate() + 1)).toISOString();
  };

  return {
    async check(userId: string, teamId: string): Promise<BudgetVerdict> {
      const key = keys(userId, teamId);
      const [user, workspace] = await Promise.all([
        options.perUser ? options.counter.used(key.user) : 0,
        options.perWorkspace ? options.counter.used(key.workspace) : 0,
      ]);
      if (options.perWorkspace && workspace >= options.perWorkspace)
        return { ok: false, which: 'workspace', limit: options.perWorkspace, resetsAt: resetsAt() };
      if (options.perUser && user >= options.perUser) return { ok: false, which: 'user', limit: options.perUser, resetsAt: resetsAt() };
      return { ok: true };
    },
    async spend(userId: string, teamId: string, tokens: number): Promise<void> {
      if (tokens <= 0) return;
      const key = keys(userId, teamId);
      await Promise.all([options.counter.add(key.user, tokens), options.counter.add(key.workspace, tokens)]);
    },
  };
}

export type AssistantBudget = ReturnType<typeof createAssistantBudget>;

/** In this process; old days are dropped as new ones are counted. */
export function createMemoryTokenCounter(): DailyTokenCounter {
  const counts = new Map<string, number>();
  return {
    async used(key) {
      return counts.get(key) ?? 0;
    },
    async add(key, tokens) {
      const today = key.slice(-10);
      for (const k of counts.keys()) if (!k.endsWith(today)) counts.delete(k);
      const total = (counts.get(key) ?? 0) + tokens;
      counts.set(key, total);
      return total;
    },
  };
}

export function budgetMessage(verdict: Exclude<BudgetVerdict, { ok: true }>): string {
  const whose = verdict.which === 'user' ? 'Your' : 'The workspace’s';
  return `${whose} assistant budget for today (${verdict.limit.toLocaleString('en-US')} tokens) is spent; it resets at ${verdict.resetsAt.slice(11, 16)} UTC. The \`/improve\` commands and the proposal buttons still work.`;
}
