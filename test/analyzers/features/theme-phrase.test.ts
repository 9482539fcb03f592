import { describe, expect, it } from 'vitest';
import { representativePhrase } from '../../../src/analyzers/features/theme-phrase.ts';

const once = (texts: string[]) => texts.map((text) => ({ text, weight: 1 }));

describe('a theme named by the phrase its members wrote', () => {
  it('keeps stop words inside a phrase in their order and drops the request frame around it', () => {
    expect(
      representativePhrase(
        once([
          'Can I talk to a human?',
          'Can I talk to a human please',
          'I want to talk to a human about order 3312.',
          'Is there a phone number?',
        ]),
        'human talk',
      ),
    ).toBe('talk to a human');
  });

  it('prefers the wording most members share over a longer one a single member used', () => {
    const darkMode = [
      'Please add a dark mode, the white dashboard is harsh at night.',
      'Would love a dark theme for the dashboard.',
      'Any plans for dark mode? My eyes would thank you.',
      'It would be nice to have a dark mode in the mobile app.',
      'Could you add dark mode to the web app?',
      'I wish the app had a dark mode setting.',
    ];
    expect(representativePhrase(once(darkMode), 'dark mode dashboard')).toBe('dark mode');
    expect(
      representativePhrase(once(['Would love a Zapier integration', 'Could you add a Zapier integration for our CRM?']), 'zapier'),
    ).toBe('Zapier integration');
  });

  it('keeps acronyms as written and lower-cases a word that only starts a sentence', () => {
    const sso = [
      'Please add SAML SSO, our IT team requires single sign-on for every vendor.',
      'Any plans to support SSO with Okta over SAML?',
      'We need support for SAML SSO before we can roll this out to 40 employees.',
      'SAML SSO would help us a lot.',
    ];
    expect(representativePhrase(once(sso), 'saml')).toBe('SAML SSO');
    expect(representativePhrase(once(['Dark mode please', 'Dark mode for the editor', 'a dark mode would be nice']), 'dark')).toBe(
      'dark mode',
    );
  });

  it('never splits an id from its number into the name, and is never empty', () => {
    const orders = ['My delivery for order 4411 is late', 'Delivery for order 981 is late again', 'order 77 delivery late'];
    expect(representativePhrase(once(orders), 'order')).toBe('delivery');
    expect(representativePhrase(once(['please?', '!!!']), 'misc')).toBe('misc');
    expect(representativePhrase([], '')).toBe('other');
  });

  it('weighs a text by the messages that carried it, and gives the same name whatever their order', () => {
    const texts = [
      { text: 'Export to Excel please', weight: 1 },
      { text: 'I need a CSV export', weight: 5 },
      { text: 'CSV export for invoices', weight: 3 },
    ];
    expect(representativePhrase(texts, 'csv')).toBe('CSV export');
    expect(representativePhrase([...texts].reverse(), 'csv')).toBe('CSV export');
  });
});
