import { textAnswer, type Answer, type Answerer, type Question } from './answer.ts';
import { OFFLINE_SHAPES, parseQuestion } from './question-shapes.ts';
import type { AssistantSources } from './sources.ts';
import { runTool } from './tool-registry.ts';

export const OFFLINE = 'offline';

/** What a person reads when no model answers: said plainly, with the shapes that do work. */
export function offlineHelp(lead: string): string {
  return [
    lead,
    'I can answer these (no language model is configured, so I match the question’s words):',
    ...OFFLINE_SHAPES.map((s) => `• ${s}`),
  ].join('\n');
}

/**
 * Answers without a model: a fixed set of question shapes parsed by keywords (question-shapes.ts),
 * each answered by one tool. The answer says it was matched, not understood.
 */
export function createOfflineAnswerer(sources: AssistantSources): Answerer {
  return {
    name: OFFLINE,
    async answer(question: Question): Promise<Answer> {
      const shape = parseQuestion(question, sources.now());
      if ('help' in shape) {
        return textAnswer(
          offlineHelp(shape.unknown ? 'I did not recognize that question.' : 'Ask me about the telemetry and the proposals.'),
          OFFLINE,
        );
      }
      const outcome = await runTool(shape.tool, shape.input, sources);
      if (!outcome.ok) return textAnswer(`I could not answer that: ${outcome.error}.`, OFFLINE);
      const { result } = outcome;
      return {
        text: [result.summary, ...detailLines(shape.tool, result.data)].join('\n'),
        tables: result.table && result.table.rows.length ? [result.table] : [],
        citations: result.citations,
        actionsFor: result.actionsFor ?? [],
        answeredBy: OFFLINE,
      };
    },
  };
}

/** The few lines a table does not carry, for the shapes whose data is one record. */
function detailLines(tool: string, data: unknown): string[] {
  const d = data as Record<string, unknown>;
  if (tool === 'show_proposal') {
    const history = (d.history as { at: string; actor: string; action: string; to: string; reason?: string }[]) ?? [];
    return [
      `*${String(d.title)}* (${String(d.type)}, ${String(d.priority)})`,
      String(d.summary),
      `Risk: ${String(d.risk)}`,
      ...history
        .slice(-5)
        .map((h) => `• ${h.at.slice(0, 16).replace('T', ' ')} ${h.actor}: ${h.action} → ${h.to}${h.reason ? ` (“${h.reason}”)` : ''}`),
    ];
  }
  if (tool === 'show_patch') {
    const trial = d.trial as { passed: boolean; summary: string } | null;
    const execution = d.execution as { branch?: string; testSummary?: string; error?: string } | null;
    return [
      ...(trial ? [`Trial before filing: ${trial.passed ? 'passed' : 'failed'}: ${trial.summary}`] : []),
      ...(execution
        ? [
            `Execution: ${execution.error ? `failed: ${execution.error}` : `branch ${execution.branch ?? '?'}, ${execution.testSummary ?? 'no test summary'}`}`,
          ]
        : []),
      ...(typeof d.patch === 'string' ? ['```', d.patch, '```'] : []),
    ];
  }
  if (tool === 'error_groups') {
    const groups =
      (d.groups as {
        template: string;
        occurrences: number;
        trend: string;
        thrownAt: string | null;
        suspects: { sha: string; subject: string }[];
      }[]) ?? [];
    return groups
      .slice(0, 5)
      .map(
        (g) =>
          `• “${g.template}” ×${g.occurrences} (${g.trend})${g.thrownAt ? `, thrown at ${g.thrownAt}` : ''}${g.suspects[0] ? `; suspect commit ${g.suspects[0].sha.slice(0, 10)} ${g.suspects[0].subject}` : ''}`,
      );
  }
  if (tool === 'feature_themes') {
    const themes = (d.themes as { theme: string; quotes: string[] }[]) ?? [];
    return themes.slice(0, 3).flatMap((t) => (t.quotes[0] ? [`• ${t.theme}: ${t.quotes[0]}`] : []));
  }
  return [];
}
