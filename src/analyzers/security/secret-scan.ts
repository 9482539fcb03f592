import { lintSource } from '@secretlint/core';
import { creator as recommendedRules } from '@secretlint/secretlint-rule-preset-recommend';
import { redactSecret, secretKey } from './redact.ts';

/** A committed secret, as a proposal may carry it: where, which rule, and never the value. */
export interface SecretLeak {
  file: string;
  line: number;
  column: number;
  /** secretlint's rule, e.g. "@secretlint/secretlint-rule-github". */
  rule: string;
  /** What kind of secret, e.g. "GITHUB_TOKEN" (the rule's message id). */
  kind: string;
  /** The first characters and "****". */
  redacted: string;
  /** A hash of the value, for the fingerprint. */
  key: string;
}

const CONFIG = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommendedRules }] };

/**
 * Runs secretlint's recommended rules (AWS, GCP, GitHub, Slack, npm, private keys, basic-auth URLs
 * and more, kept by the secretlint project) over one file's text. `maskSecrets` keeps the value out
 * of the rule's message too, though only the range is read: the value is redacted here and goes no
 * further.
 */
export async function scanForSecrets(file: string, content: string): Promise<SecretLeak[]> {
  const result = await lintSource({
    source: { filePath: file, content, contentType: 'text' },
    options: { config: CONFIG, maskSecrets: true, noPhysicFilePath: true },
  });
  return result.messages.map((m) => {
    const value = content.slice(m.range[0], m.range[1]);
    return {
      file,
      line: m.loc.start.line,
      column: m.loc.start.column + 1,
      rule: m.ruleId,
      kind: m.messageId,
      redacted: redactSecret(value),
      key: secretKey(value),
    };
  });
}
