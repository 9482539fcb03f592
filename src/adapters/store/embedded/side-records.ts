import type Database from 'better-sqlite3';
import { ValidationError } from '../../../domain/errors.ts';
import { sameDeployment, type Deployment } from '../../../domain/deployment.ts';
import type { ChangeOutcome } from '../../../domain/outcome.ts';
import type { DeploymentRecordResult, KnowledgeEntry, PerformanceGain } from '../../../ports/store.ts';

interface GainRow {
  proposal_id: string;
  endpoint: string;
  before_ms: number;
  after_ms: number;
  measured_at: string;
}
interface KnowledgeRow {
  category: string;
  key: string;
  content: string;
  created_at: number;
}

/** What the store keeps besides proposals: measured gains and outcomes, learned knowledge and quotas. */
export function createSideRecords(db: Database.Database) {
  const upsertGain = db.prepare(
    `INSERT INTO gains (proposal_id, endpoint, before_ms, after_ms, measured_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (proposal_id) DO UPDATE SET endpoint = excluded.endpoint, before_ms = excluded.before_ms,
       after_ms = excluded.after_ms, measured_at = excluded.measured_at`,
  );
  const selectGains = db.prepare<[], GainRow>('SELECT * FROM gains ORDER BY measured_at DESC, proposal_id');
  const upsertOutcome = db.prepare(
    `INSERT INTO outcomes (proposal_id, doc, measured_at) VALUES (?, ?, ?)
     ON CONFLICT (proposal_id) DO UPDATE SET doc = excluded.doc, measured_at = excluded.measured_at`,
  );
  const selectOutcomes = db.prepare<[], { doc: string }>('SELECT doc FROM outcomes ORDER BY measured_at DESC, proposal_id');
  const insertDeployment = db.prepare('INSERT OR IGNORE INTO deployments (id, deployed_at, doc) VALUES (?, ?, ?)');
  const selectDeployment = db.prepare<[string], { doc: string }>('SELECT doc FROM deployments WHERE id = ?');
  const selectDeployments = db.prepare<[number, number], { doc: string }>(
    'SELECT doc FROM deployments WHERE deployed_at >= ? AND deployed_at < ? ORDER BY deployed_at, id',
  );
  const recordDeployment = db.transaction((deployment: Deployment): DeploymentRecordResult => {
    if (insertDeployment.run(deployment.id, Date.parse(deployment.deployedAt), JSON.stringify(deployment)).changes)
      return { result: 'recorded', deployment };
    const stored = JSON.parse(selectDeployment.get(deployment.id)!.doc) as Deployment;
    return { result: sameDeployment(stored, deployment) ? 'duplicate' : 'conflict', deployment: stored };
  });
  // A key is one fact of its category; learning it again replaces it rather than piling up copies.
  const upsertKnowledge = db.prepare(
    `INSERT INTO knowledge (category, key, content, created_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (category, key) DO UPDATE SET content = excluded.content, created_at = excluded.created_at`,
  );
  const selectKnowledge = db.prepare<[number], KnowledgeRow>('SELECT * FROM knowledge ORDER BY created_at DESC, rowid DESC LIMIT ?');
  const selectKnowledgeIn = db.prepare<[string, number], KnowledgeRow>(
    'SELECT * FROM knowledge WHERE category = ? ORDER BY created_at DESC, rowid DESC LIMIT ?',
  );
  const selectOneKnowledge = db.prepare<[string, string], KnowledgeRow>('SELECT * FROM knowledge WHERE category = ? AND key = ?');
  const removeKnowledge = db.prepare('DELETE FROM knowledge WHERE category = ? AND key = ?');
  const selectQuota = db.prepare<[string], { used: number; expires_at: number }>('SELECT used, expires_at FROM quotas WHERE name = ?');
  const startQuota = db.prepare('INSERT OR REPLACE INTO quotas (name, used, expires_at) VALUES (?, 1, ?)');
  const useQuota = db.prepare('UPDATE quotas SET used = used + 1 WHERE name = ?');

  const takeQuota = db.transaction((name: string, limit: number, ttlMs: number, nowMs: number): boolean => {
    const quota = selectQuota.get(name);
    if (!quota || quota.expires_at <= nowMs) {
      if (limit < 1) return false;
      startQuota.run(name, nowMs + ttlMs);
      return true;
    }
    if (quota.used >= limit) return false;
    useQuota.run(name);
    return true;
  });

  return {
    takeQuota: (name: string, limit: number, ttlMs: number, now: Date): boolean => takeQuota.immediate(name, limit, ttlMs, now.getTime()),

    recordGain(gain: PerformanceGain): void {
      db.transaction(() => upsertGain.run(gain.proposalId, gain.endpoint, gain.beforeMs, gain.afterMs, gain.measuredAt)).immediate();
    },

    listGains(): PerformanceGain[] {
      return selectGains.all().map((g) => ({
        proposalId: g.proposal_id,
        endpoint: g.endpoint,
        beforeMs: g.before_ms,
        afterMs: g.after_ms,
        measuredAt: g.measured_at,
      }));
    },

    recordOutcome(outcome: ChangeOutcome): void {
      db.transaction(() => upsertOutcome.run(outcome.proposalId, JSON.stringify(outcome), outcome.measuredAt)).immediate();
    },

    listOutcomes(): ChangeOutcome[] {
      return selectOutcomes.all().map((row) => JSON.parse(row.doc) as ChangeOutcome);
    },

    recordDeployment: (deployment: Deployment): DeploymentRecordResult => recordDeployment.immediate(deployment),

    listDeployments(window: { from: Date; to: Date }): Deployment[] {
      return selectDeployments.all(window.from.getTime(), window.to.getTime()).map((row) => JSON.parse(row.doc) as Deployment);
    },

    putKnowledge(entry: KnowledgeEntry): void {
      const createdAt = Date.parse(entry.createdAt);
      if (Number.isNaN(createdAt)) throw new ValidationError(`Knowledge "${entry.key}" has no valid createdAt: ${entry.createdAt}`);
      db.transaction(() => upsertKnowledge.run(entry.category, entry.key, JSON.stringify(entry.content), createdAt)).immediate();
    },

    getKnowledge(category: string, key: string): KnowledgeEntry | null {
      const row = selectOneKnowledge.get(category, key);
      return row ? knowledgeEntry(row) : null;
    },

    deleteKnowledge(category: string, key: string): boolean {
      return db.transaction(() => removeKnowledge.run(category, key).changes > 0).immediate();
    },

    listKnowledge(category: string | undefined, limit: number): KnowledgeEntry[] {
      const found = category === undefined ? selectKnowledge.all(limit) : selectKnowledgeIn.all(category, limit);
      return found.map(knowledgeEntry);
    },
  };
}

function knowledgeEntry(k: KnowledgeRow): KnowledgeEntry {
  return {
    category: k.category,
    key: k.key,
    content: JSON.parse(k.content) as Record<string, unknown>,
    createdAt: new Date(k.created_at).toISOString(),
  };
}
