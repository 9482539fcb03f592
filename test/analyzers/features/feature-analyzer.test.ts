import { describe, expect, it } from 'vitest';
import { requestValue } from '../../../src/analyzers/features/business-value.ts';
import { createFeatureAnalyzer } from '../../../src/analyzers/features/feature-analyzer.ts';
import type { Finding } from '../../../src/domain/finding.ts';
import type { AnalysisContext } from '../../../src/ports/analyzer.ts';
import { createMemoryWarehouse, type InteractionRow } from '../../helpers/memory-warehouse.ts';
import { randomData } from '../random-data.ts';

/**
 * A week of messages with three themes above the threshold of 3 and one below:
 * - dark mode: 6 requests from 6 free and pro customers, no revenue;
 * - CSV export: 5 requests from 4 business customers at 20 000 each (one asked twice);
 * - SSO: 4 requests from 3 enterprise customers at 100 000, 250 000 and 50 000 (the first asked twice);
 * - Zapier: 2 requests (below the threshold);
 * and 30 messages that are not requests (questions, bug reports, thanks).
 * By value SSO ranks first although it has the fewest requests, then CSV, then dark mode.
 */
const WEEK = { from: new Date('2026-03-02T00:00:00Z'), to: new Date('2026-03-09T00:00:00Z') };
const context: AnalysisContext = { cycle: 'weekly', window: WEEK, asOf: new Date('2026-03-09T06:00:00Z') };

interface Message {
  text: string;
  customerId: string;
  metadata: Record<string, unknown>;
}

const DARK_MODE: Message[] = [
  'Can you add a dark mode? My eyes hurt at night.',
  'Would love a dark theme for the dashboard.',
  'Please add dark mode to the web app',
  'It would be great if the editor had a dark mode',
  'Any plans to support a dark color scheme?',
  'I wish there was a night mode or a dark theme',
].map((text, i) => ({ text, customerId: `free-${i}`, metadata: { plan: i % 2 ? 'pro' : 'free' } }));

const CSV_EXPORT: Message[] = [
  'Please support exporting reports to CSV',
  'Can you add CSV export for invoices?',
  'It would be great to export the monthly report as a CSV file',
  'Feature request: export dashboards to Excel or CSV',
  'Would love to export my data as CSV',
].map((text, i) => ({ text, customerId: `biz-${i % 4}`, metadata: { plan: 'business', revenue: 20_000 } }));

const ENTERPRISE_REVENUE = [100_000, 250_000, 50_000];
const SSO: Message[] = [
  'We need SSO with Okta, please add it',
  'Any plans to add single sign-on (SAML SSO)?',
  'Please add SAML single sign-on, our security team requires SSO',
  'Could you add SSO via Azure AD?',
].map((text, i) => {
  const customer = i === 3 ? 0 : i;
  // Revenue as the warehouse may deliver it: a number, or a numeric string from JSON metadata.
  return {
    text,
    customerId: `ent-${customer}`,
    metadata: { tier: 'Enterprise', revenue: i === 1 ? String(ENTERPRISE_REVENUE[customer]) : ENTERPRISE_REVENUE[customer] },
  };
});

const ZAPIER: Message[] = ['Would love a Zapier integration', 'Could you add a Zapier integration for our CRM?'].map((text, i) => ({
  text,
  customerId: `zap-${i}`,
  metadata: { plan: 'starter' },
}));

const NOT_REQUESTS: Message[] = [
  'How do I reset my password?',
  'The export button crashes the app since yesterday',
  'Thanks, that worked!',
  'I get a 500 error when I save the invoice.',
  'Where can I find the billing settings?',
  'Login does not work on Safari.',
].flatMap((text) => Array.from({ length: 5 }, (_, i) => ({ text, customerId: `other-${i}`, metadata: {} })));

const THEMES = { sso: SSO, csv: CSV_EXPORT, dark: DARK_MODE };
const ALL = [...DARK_MODE, ...CSV_EXPORT, ...SSO, ...ZAPIER, ...NOT_REQUESTS];

/** The messages in a seeded order, with timestamps spread over the week in that order. */
function rowsOf(messages: readonly Message[], seed = 0): InteractionRow[] {
  const { random } = randomData(seed);
  const order = messages.map((_, i) => i);
  if (seed)
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
  const step = (WEEK.to.getTime() - WEEK.from.getTime()) / (messages.length + 1);
  return order.map((index, position) => ({
    ...messages[index]!,
    message: messages[index]!.text,
    interactionType: 'chat',
    response: 'Thanks, I have passed this on.',
    outcome: 'resolved',
    sentiment: 0.1,
    timestamp: new Date(WEEK.from.getTime() + step * (position + 1)),
  }));
}

async function analyze(rows: InteractionRow[], options: { min?: number; textCap?: number } = {}): Promise<Finding[]> {
  const analyzer = createFeatureAnalyzer({
    warehouse: createMemoryWarehouse({ interactions: rows }),
    settings: { minFeatureRequestsForProposal: options.min ?? 3 },
    ...(options.textCap ? { textCap: options.textCap } : {}),
  });
  return analyzer.analyze(context);
}

const evidence = (finding: Finding) => Object.fromEntries(finding.evidence.map((e) => [e.label, e.value]));
const quotesOf = (finding: Finding) => finding.evidence.filter((e) => e.label.startsWith('quote')).map((e) => String(e.value).slice(1, -1));
const scoreOf = (messages: readonly Message[]) =>
  messages.reduce((sum, m) => sum + requestValue({ ...(m.metadata as object), revenue: Number(m.metadata.revenue ?? 0) }), 0);

describe('the feature-discovery analyzer', () => {
  it('finds exactly the three planted themes over the threshold, ranked by value, with their counts', async () => {
    const findings = await analyze(rowsOf(ALL));
    expect(findings.map((f) => f.magnitude)).toEqual([4, 5, 6]);
    const [sso, csv, dark] = findings as [Finding, Finding, Finding];
    expect(evidence(sso)).toMatchObject({
      requests: 4,
      'distinct customers': 3,
      'revenue represented': '$400,000',
      'requests detected in window': 17,
    });
    expect(evidence(csv)).toMatchObject({ requests: 5, 'distinct customers': 4, 'revenue represented': '$80,000' });
    expect(evidence(dark)).toMatchObject({ requests: 6, 'distinct customers': 6, 'revenue represented': '$0' });
    for (const [finding, messages] of [
      [sso, SSO],
      [csv, CSV_EXPORT],
      [dark, DARK_MODE],
    ] as const) {
      expect(evidence(finding)['value score']).toBeCloseTo(scoreOf(messages), 2);
      expect(finding).toMatchObject({ analyzer: 'features', type: 'feature' });
      expect(finding.fingerprint).toMatch(/^feature:[0-9a-f]{12}$/);
    }
    expect(findings.map((f) => f.priority)).toEqual(['high', 'high', 'medium']);
    expect(findings.map((f) => (f.details as { rank: number }).rank)).toEqual([1, 2, 3]);
  });

  it('counts each theme’s requests per day of the week, for its chart', async () => {
    const findings = await analyze(rowsOf(ALL));
    for (const finding of findings) {
      expect(finding.series).toMatchObject({ kind: 'bars', bucket: 'day', unit: 'requests' });
      expect(finding.series!.points).toHaveLength(7);
      expect(finding.series!.points.reduce((sum, p) => sum + p.value, 0)).toBe(finding.magnitude);
    }
  });

  it('names each theme by its distinctive terms and quotes three of its own requests', async () => {
    const findings = await analyze(rowsOf(ALL));
    const expected = [
      ['sso', THEMES.sso],
      ['csv', THEMES.csv],
      ['dark', THEMES.dark],
    ] as const;
    findings.forEach((finding, i) => {
      const [term, messages] = expected[i]!;
      expect(String(evidence(finding)['distinctive words']).split(', ')).toContain(term);
      // Named as customers wrote it: "single sign-on" and "SSO" are one theme.
      expect(finding.title).toMatch({ sso: /SSO|single sign-on/, csv: /CSV/, dark: /dark/ }[term]);
      const quotes = quotesOf(finding);
      expect(quotes).toHaveLength(3);
      for (const quote of quotes) expect(messages.map((m) => m.text)).toContain(quote);
    });
  });

  it('gives the same fingerprints, counts and ranking whatever order the messages come in', async () => {
    const summary = (findings: Finding[]) =>
      findings.map((f) => [f.fingerprint, f.magnitude, evidence(f)['value score'], evidence(f)['distinctive words'], f.title]);
    const baseline = summary(await analyze(rowsOf(ALL)));
    for (const seed of [1, 2, 3, 4, 5]) expect(summary(await analyze(rowsOf(ALL, seed)))).toEqual(baseline);
  });

  it('proposes the theme below the threshold once the threshold allows it', async () => {
    const findings = await analyze(rowsOf(ALL), { min: 2 });
    expect(findings.map((f) => f.magnitude)).toEqual([4, 5, 6, 2]);
    expect(String(evidence(findings[3]!)['distinctive words'])).toMatch(/zapier/);
    expect(findings[3]!.title).toBe('Customers ask for Zapier integration (2 requests from 2 customers)');
  });

  it('proposes "export to CSV", "download as a spreadsheet" and "export to Excel" as one theme', async () => {
    const exports = [
      'Please add export to CSV',
      'Could you let me download the report as a spreadsheet?',
      'We need export to Excel',
      'Any plans to support exporting invoices to CSV?',
      'Would love to download my orders as an Excel spreadsheet',
    ].map((text, i) => ({ text, customerId: `export-${i}`, metadata: { plan: 'pro' } }));
    const findings = await analyze(rowsOf([...exports, ...DARK_MODE, ...NOT_REQUESTS]));
    expect(findings.map((f) => f.magnitude)).toEqual([6, 5]);
    expect(String(evidence(findings[1]!)['distinctive words'])).toMatch(/csv|excel|spreadsheet|export/);
  });

  it('finds nothing in clean data with no feature requests', async () => {
    expect(await analyze(rowsOf(NOT_REQUESTS))).toEqual([]);
    expect(await analyze([])).toEqual([]);
  });

  it('reports the text cap in the evidence and the title when the warehouse capped the texts', async () => {
    // Texts come newest first: a cap of 40 of these 47 messages drops the 7 oldest, which are not requests.
    const findings = await analyze(rowsOf([...NOT_REQUESTS, ...DARK_MODE, ...CSV_EXPORT, ...SSO, ...ZAPIER]), { textCap: 40 });
    expect(findings.map((f) => f.magnitude)).toEqual([4, 5, 6]);
    for (const finding of findings)
      expect(evidence(finding)).toMatchObject({ 'texts analyzed': 40, 'texts in window': 47, 'text cap': 40 });
    // The counts are of part of the window, and the title says so.
    for (const finding of findings) expect(finding.title).toMatch(/ in the newest 40 of 47 messages\)$/);
    const uncapped = (await analyze(rowsOf(ALL)))[0]!;
    expect(evidence(uncapped)).not.toHaveProperty('text cap');
    expect(uncapped.title).not.toMatch(/newest/);
  });

  it('names a theme by the phrase its requests use, not by a list of terms, and shows revenue in the configured currency', async () => {
    const requests = [
      'Please add a CSV export of orders',
      'Would love a CSV export of orders, it would save us hours',
      'We need CSV export of orders for accounting',
      'Please add an orders export to CSV',
    ].map((text, i) => ({ text, customerId: `eu-${i}`, metadata: { plan: 'business', revenue: 12_500 } }));
    const analyzer = createFeatureAnalyzer({
      warehouse: createMemoryWarehouse({ interactions: rowsOf([...requests, ...NOT_REQUESTS]) }),
      settings: { minFeatureRequestsForProposal: 3, currency: 'EUR' },
    });
    const [theme] = await analyzer.analyze(context);
    expect(theme!.title).toBe('Customers ask for CSV export of orders (4 requests from 4 customers)');
    expect(theme!.summary).toMatch(
      /^4 feature requests from 4 customers ask for CSV export of orders; those customers represent €50,000 in revenue\./,
    );
    expect(evidence(theme!)).toMatchObject({ theme: 'CSV export of orders', 'revenue represented': '€50,000' });
    expect(theme!.details).toMatchObject({ phrase: 'CSV export of orders', revenue: 50_000, currency: 'EUR' });
  });

  it('quotes requests that differ only in numbers once', async () => {
    const requests = [
      ...[101, 202, 303, 404].map((n) => `Please add a dark mode for workspace ${n}`),
      'Would love a dark mode for the dashboard',
      'Dark mode please, my eyes hurt',
    ].map((text, i) => ({ text, customerId: `c-${i}`, metadata: {} }));
    const analyzer = createFeatureAnalyzer({
      warehouse: createMemoryWarehouse({ interactions: rowsOf(requests) }),
      settings: { minFeatureRequestsForProposal: 3 },
    });
    const [theme] = await analyzer.analyze(context);
    expect(theme!.title).toMatch(/^Customers ask for dark mode \(/);
    const quotes = quotesOf(theme!);
    expect(quotes).toHaveLength(3);
    expect(quotes.filter((q) => q.startsWith('Please add a dark mode for workspace'))).toHaveLength(1);
  });

  it('runs weekly under the name "features"', () => {
    const analyzer = createFeatureAnalyzer({ warehouse: createMemoryWarehouse(), settings: { minFeatureRequestsForProposal: 3 } });
    expect(analyzer.name).toBe('features');
    expect(analyzer.cycles).toEqual(['weekly']);
  });
});
