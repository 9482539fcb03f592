/** The interactive ids this app sends to Slack and routes back: one place so views and listeners agree. */
export const ACTIONS = {
  approve: 'proposal.approve',
  reject: 'proposal.reject',
  execute: 'proposal.execute',
  details: 'proposal.details',
  /** A link button to the dashboard: Slack still sends the click, which is only acked. */
  openDashboard: 'proposal.open_dashboard',
  rollback: 'proposal.rollback',
} as const;

export const VIEWS = {
  reject: 'proposal.reject.modal',
  details: 'proposal.details.modal',
  rollback: 'proposal.rollback.modal',
} as const;

export const REJECT_INPUT = { block: 'reason', action: 'reason.input' } as const;

/**
 * What a button carries: the proposal and the version the person looked at. The version makes a
 * click on a stale message a conflict (the store's fencing check) instead of a decision on content
 * the person never saw.
 */
export interface ButtonTarget {
  id: string;
  version: number;
}

export function encodeTarget(target: ButtonTarget): string {
  return `${target.id}|${target.version}`;
}

/** null for anything that is not exactly what encodeTarget makes (values come from the request). */
export function decodeTarget(value: unknown): ButtonTarget | null {
  if (typeof value !== 'string' || value.length > 200) return null;
  const match = /^([A-Za-z0-9_.:-]{1,120})\|(\d{1,9})$/.exec(value);
  if (!match) return null;
  return { id: match[1]!, version: Number(match[2]) };
}

/** The reject modal remembers where the click came from, so the answer can go back there. */
export interface RejectContext extends ButtonTarget {
  channel?: string;
}

export function encodeRejectContext(context: RejectContext): string {
  return JSON.stringify({ id: context.id, version: context.version, ...(context.channel ? { channel: context.channel } : {}) });
}

export function decodeRejectContext(metadata: unknown): RejectContext | null {
  if (typeof metadata !== 'string') return null;
  try {
    const parsed = JSON.parse(metadata) as Record<string, unknown>;
    const target = decodeTarget(`${String(parsed.id)}|${String(parsed.version)}`);
    if (!target) return null;
    const channel = typeof parsed.channel === 'string' && /^[CGDU][A-Z0-9]{2,20}$/.test(parsed.channel) ? parsed.channel : undefined;
    return { ...target, ...(channel ? { channel } : {}) };
  } catch {
    return null;
  }
}
