import type {
  DependencyUpgrade,
  EvidenceItem,
  EvidenceSeries,
  Priority,
  ProposalCategory,
  ProposalSubject,
  ProposalType,
  ProposedKnowledge,
} from './proposal.ts';

/** What an analyzer reports: a measured problem or opportunity, before any text is written about it. */
export interface Finding {
  /** Name of the analyzer that produced it. */
  analyzer: string;
  type: ProposalType;
  category?: ProposalCategory;
  /** Stable key: the same problem seen again has the same fingerprint. */
  fingerprint: string;
  title: string;
  summary: string;
  evidence: EvidenceItem[];
  priority: Priority;
  /** Size in the analyzer's own unit; a rejected finding returns only when this grows materially. */
  magnitude: number;
  subject?: ProposalSubject;
  /** The measure behind the finding as a series, when the analyzer has one (drawn as a chart). */
  series?: EvidenceSeries;
  /** Learning findings: the knowledge entry executing the proposal publishes (copied to the proposal as measured). */
  knowledge?: ProposedKnowledge;
  /** Vulnerable-dependency findings with a fixed version: what their lockfile patch may change (copied to the proposal). */
  upgrade?: DependencyUpgrade;
  /** Analyzer-specific facts for the writer (endpoint, files, quotes, suspect commits...). */
  details?: Record<string, unknown>;
}
