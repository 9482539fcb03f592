import { z } from 'zod';

/**
 * The part of the OSV schema (https://ossf.github.io/osv-schema/) the security analyzer reads. Unknown
 * fields are kept out; a field of the wrong shape makes the whole file a problem, never a guess.
 */

const event = z.union([
  z.object({ introduced: z.string() }),
  z.object({ fixed: z.string() }),
  z.object({ last_affected: z.string() }),
  z.object({ limit: z.string() }),
]);

const range = z.object({
  type: z.string(),
  events: z.array(event).min(1),
});

const affected = z.object({
  package: z.object({ ecosystem: z.string(), name: z.string() }).optional(),
  ranges: z.array(range).optional(),
  versions: z.array(z.string()).optional(),
  database_specific: z.record(z.string(), z.unknown()).optional(),
});

const advisory = z.object({
  id: z.string().min(1),
  modified: z.string().optional(),
  withdrawn: z.string().optional(),
  aliases: z.array(z.string()).optional(),
  summary: z.string().optional(),
  details: z.string().optional(),
  severity: z.array(z.object({ type: z.string(), score: z.string() })).optional(),
  affected: z.array(affected).optional(),
  references: z.array(z.object({ type: z.string(), url: z.string() })).optional(),
  database_specific: z.record(z.string(), z.unknown()).optional(),
});

export type OsvAdvisory = z.infer<typeof advisory>;
export type OsvAffected = z.infer<typeof affected>;
export type OsvEvent = z.infer<typeof event>;

/** An advisory file that is not JSON or not an OSV record: named, so an operator can find and fix it. */
export class MalformedAdvisory extends Error {
  override name = 'MalformedAdvisory';
  constructor(
    readonly file: string,
    reason: string,
  ) {
    super(`${file}: not an OSV advisory (${reason})`);
  }
}

export function parseAdvisory(text: string, file: string): OsvAdvisory {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new MalformedAdvisory(file, `invalid JSON: ${(error as Error).message}`);
  }
  const parsed = advisory.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new MalformedAdvisory(file, `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** The npm packages an advisory names (an advisory can cover lodash and lodash-es at once). */
export function npmPackagesOf(record: OsvAdvisory): string[] {
  const names = (record.affected ?? []).filter((a) => a.package?.ecosystem === 'npm').map((a) => a.package!.name);
  return [...new Set(names)];
}

export const SEVERITIES = ['low', 'moderate', 'high', 'critical', 'unknown'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * GitHub's reviewed advisories carry a severity word in `database_specific.severity`; OSV's own
 * `severity[]` holds CVSS vectors, whose score needs the CVSS calculator, so without the word the
 * severity is "unknown" and the vector is shown as it is.
 */
export function severityOf(record: OsvAdvisory): { level: Severity; vector?: string } {
  const word = record.database_specific?.['severity'];
  const vector = record.severity?.find((s) => s.type.startsWith('CVSS'))?.score;
  const level = typeof word === 'string' ? word.toLowerCase() : '';
  const known = (SEVERITIES as readonly string[]).includes(level) ? (level as Severity) : level === 'medium' ? 'moderate' : 'unknown';
  return { level: known, ...(vector ? { vector } : {}) };
}
