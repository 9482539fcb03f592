import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestValue } from '../../../src/analyzers/features/business-value.ts';
import { clusterRequests, requestThemes, type FeatureRequestMessage } from '../../../src/analyzers/features/cluster-requests.ts';
import { themeKey } from '../../../src/analyzers/features/theme-key.ts';
import { shortSha1 } from '../../../src/analyzers/short-hash.ts';

// Three planted themes (dark mode ×6, CSV export ×5, SSO ×4) and four one-offs, one of which
// ("offline mode") shares a word with the dark-mode theme without belonging to it.
const DARK_MODE = [
  'Can you add a dark mode? My eyes hurt at night.',
  'Would love a dark theme for the dashboard.',
  'Please add dark mode to the web app',
  'It would be great if the editor had a dark mode',
  'Any plans to support a dark color scheme?',
  'I wish there was a night mode or a dark theme',
];
const CSV_EXPORT = [
  'Please support exporting reports to CSV',
  'Can you add CSV export for invoices?',
  'It would be great to export the monthly report as a CSV file',
  'Feature request: export dashboards to Excel or CSV',
  'Would love to export my data as CSV',
];
const SSO = [
  'We need SSO with Okta, please add it',
  'Any plans to add single sign-on (SAML SSO)?',
  'Please add SAML single sign-on, our security team requires SSO',
  'Could you add SSO via Azure AD?',
];
const ONE_OFFS = [
  'Would love a Zapier integration',
  'Could you add keyboard shortcuts for navigation?',
  'Please add an offline mode to the mobile app',
  'I wish I could schedule posts in advance',
];
const PLANTED = [...DARK_MODE, ...CSV_EXPORT, ...SSO, ...ONE_OFFS];

const texts = (members: number[], messages: readonly (string | FeatureRequestMessage)[] = PLANTED) =>
  members
    .map((i) => {
      const m = messages[i]!;
      return typeof m === 'string' ? m : m.text;
    })
    .sort();

describe('clustering feature requests into themes', () => {
  it('finds exactly the planted themes and leaves the one-offs alone', () => {
    const themes = clusterRequests(PLANTED);
    expect(themes.slice(0, 3).map((t) => texts(t.members))).toEqual([[...DARK_MODE].sort(), [...CSV_EXPORT].sort(), [...SSO].sort()]);
    expect(
      themes
        .slice(3)
        .map((t) => texts(t.members))
        .sort(),
    ).toEqual(ONE_OFFS.map((m) => [m]).sort());
    expect(themes.map((t) => t.count)).toEqual([6, 5, 4, 1, 1, 1, 1]);
  });

  it('labels each theme with its most distinctive terms, as customers spelled them', () => {
    const [dark, csv, sso] = clusterRequests(PLANTED);
    expect(dark!.label).toEqual(expect.arrayContaining(['dark', 'mode']));
    expect(csv!.label).toEqual(expect.arrayContaining(['csv', 'export']));
    expect(sso!.label).toContain('sso');
    expect(dark!.label).toHaveLength(3);
  });

  it('quotes three messages of the theme itself', () => {
    for (const theme of clusterRequests(PLANTED).slice(0, 3)) {
      expect(theme.examples).toHaveLength(3);
      for (const quote of theme.examples) expect(texts(theme.members)).toContain(quote);
    }
  });

  it('ranks by frequency alone when no message carries business metadata', () => {
    expect(clusterRequests(PLANTED).map((t) => t.score)).toEqual([6, 5, 4, 1, 1, 1, 1]);
  });

  it('ranks a theme asked for by a few enterprise accounts above one asked for by more free users', () => {
    const withMetadata: FeatureRequestMessage[] = PLANTED.map((text) => ({
      text,
      metadata: SSO.includes(text) ? { plan: 'enterprise', revenue: 120_000 } : { plan: 'free' },
    }));
    const themes = clusterRequests(withMetadata);
    expect(themes[0]!.label).toContain('sso');
    expect(themes[0]!.score).toBeCloseTo(4 * requestValue({ plan: 'enterprise', revenue: 120_000 }));
    expect(themes[1]!.count).toBe(6);
  });

  it('keeps unrelated one-off requests in themes of their own', () => {
    const themes = clusterRequests(ONE_OFFS.concat(['Can you add a Gantt chart?', 'Please support right-to-left languages']));
    expect(themes).toHaveLength(6);
    expect(themes.every((t) => t.count === 1)).toBe(true);
  });

  it('puts a message with no content words in no theme', () => {
    const themes = clusterRequests(['Please add this!', ...PLANTED]);
    expect(themes).toHaveLength(7);
    expect(themes.flatMap((t) => t.members)).not.toContain(0);
  });

  it('gives the same themes, ids and labels for the same messages, in any order', () => {
    const reversed = [...PLANTED].reverse();
    const summary = (messages: string[]) =>
      clusterRequests(messages).map((t) => ({ id: t.id, label: t.label, members: texts(t.members, messages) }));
    expect(summary(PLANTED)).toEqual(summary(PLANTED));
    expect(summary(reversed)).toEqual(summary(PLANTED));
  });

  it('finds the same partition whatever the order of the messages', () => {
    const partition = (messages: string[]) =>
      clusterRequests(messages)
        .map((t) => texts(t.members, messages).join(' | '))
        .sort();
    const expected = partition(PLANTED);
    fc.assert(
      fc.property(fc.shuffledSubarray(PLANTED, { minLength: PLANTED.length }), (shuffled) => {
        expect(partition(shuffled)).toEqual(expected);
      }),
      { numRuns: 100 },
    );
  });

  it('puts "export to CSV", "download as a spreadsheet" and "export to Excel" in one theme', () => {
    const exports = [
      'Please add export to CSV',
      'Could you let me download the report as a spreadsheet?',
      'We need export to Excel',
      'Any plans to support exporting invoices to CSV?',
      'Would love to download my orders as an Excel spreadsheet',
      'It would be great to export to xlsx',
    ];
    const themes = clusterRequests([...exports, ...ONE_OFFS]);
    expect(themes[0]!.count).toBe(exports.length);
    expect(texts(themes[0]!.members, [...exports, ...ONE_OFFS])).toEqual([...exports].sort());
  });

  it('names a theme that is every message, with an id derived from its label, never empty', () => {
    // 9,000 requests in three phrasings, one theme: nothing outside it to contrast with.
    const bulk = [
      'I need bulk editing of my catalog',
      'Please let me select several products and edit them together',
      'Bulk edit please, editing one by one takes hours',
    ];
    const [theme, ...rest] = clusterRequests(Array.from({ length: 9000 }, (_, i) => bulk[i % 3]!));
    expect(rest).toEqual([]);
    expect(theme!.count).toBe(9000);
    expect(theme!.label.slice(0, 2)).toEqual(['bulk', 'edit']);
    expect(theme!.id).toBe(themeKey(theme!.label));
    expect(theme!.id).not.toBe(shortSha1(''));
  });

  it('never leaves a label empty, whatever the messages', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...PLANTED, 'edit', 'edit edit', 'Please add this!'), { maxLength: 30 }), (messages) => {
        for (const theme of clusterRequests(messages)) {
          expect(theme.label.length).toBeGreaterThan(0);
          expect(theme.label.every((word) => word.length > 0)).toBe(true);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('costs what the distinct texts cost: 4,300 requests of 58 texts compare as many pairs as the 58', () => {
    const distinct = Array.from({ length: 58 }, (_, i) => `${PLANTED[i % PLANTED.length]!} (variant ${Math.floor(i / PLANTED.length)}x)`);
    const many = Array.from({ length: 4300 }, (_, i) => distinct[(i * 7) % 58]!);
    const once = requestThemes(distinct);
    const repeated = requestThemes(many);
    expect(repeated.distinctTexts).toBe(once.distinctTexts);
    expect(repeated.comparisons).toBe(once.comparisons);
    expect(repeated.comparisons).toBeLessThanOrEqual((58 * 57) / 2);
    expect(repeated.themes.reduce((sum, t) => sum + t.count, 0)).toBe(4300);
  });

  it('finds no theme in no messages', () => {
    expect(clusterRequests([])).toEqual([]);
  });
});

describe('the business value of one request', () => {
  it('is 1 without metadata and weighs plans and revenue as documented', () => {
    expect(requestValue(undefined)).toBe(1);
    expect(requestValue({ plan: 'Enterprise' })).toBe(3);
    expect(requestValue({ tier: 'pro' })).toBe(1.5);
    expect(requestValue({ plan: 'unheard-of' })).toBe(1);
    expect(requestValue({ revenue: 1000 })).toBeCloseTo(1 + Math.log(2));
    expect(requestValue({ plan: 'business', revenue: 10_000 })).toBeCloseTo(2 * (1 + Math.log(11)));
    expect(requestValue({ plan: 'gold' }, { planWeights: { gold: 4 } })).toBe(4);
  });

  it('grows with revenue slowly enough that ten free customers outweigh one large account', () => {
    expect(10 * requestValue({ plan: 'free' })).toBeGreaterThan(requestValue({ revenue: 1_000_000 }));
  });
});
