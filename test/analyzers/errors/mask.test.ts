import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskMessage, maskedTokens } from '../../../src/analyzers/errors/mask.ts';

describe('masking error messages', () => {
  it.each([
    ['numbers', 'retry 3 of 5 failed at line 42.', 'retry <NUM> of <NUM> failed at line <NUM>.'],
    [
      'hex literals and hex ids of eight or more digits',
      'segfault at 0x7ffe1234 in commit 3f2a1b9c8d7e',
      'segfault at <HEX> in commit <HEX>',
    ],
    ['a hex id inside a prefixed name', 'request req-5f3a9b2c1d aborted', 'request req-<HEX> aborted'],
    ['UUIDs', 'tenant 7f3e2a9b-1c2d-4e5f-8a9b-0c1d2e3f4a5b missing', 'tenant <UUID> missing'],
    ['emails', 'no user ana.17@example.com', 'no user <EMAIL>'],
    ['IPv4 with its port', 'connect ECONNREFUSED 10.0.0.12:5432', 'connect ECONNREFUSED <IP>'],
    ['IPv6, compressed and full', 'bind fe80::1 and 2001:db8:0:0:0:0:0:1 failed', 'bind <IP> and <IP> failed'],
    ['URLs without the sentence full stop', 'GET https://api.example.com/v1/users/42?x=1. failed', 'GET <URL>. failed'],
    ['unix, relative and windows paths', 'open /var/app/x.json, src/app/y.ts and C:\\Users\\bo\\z.txt', 'open <PATH>, <PATH> and <PATH>'],
    ['quoted values in three kinds of quotes', `expected "a b" got 'c' via \`d\``, 'expected <STR> got <STR> via <STR>'],
    ['a quoted value with an apostrophe inside', "parse failed on 'it's broken'", 'parse failed on <STR>'],
    [
      'ISO timestamps and times of day',
      'expired at 2026-05-01T12:30:45.123Z, retried 2026-05-02 at 08:15:00',
      'expired at <TS>, retried <TS> at <TS>',
    ],
    [
      'durations, attached or spelled out',
      'took 250ms, then 1.5s, then 1h30m, then 3 seconds',
      'took <DUR>, then <DUR>, then <DUR>, then <DUR>',
    ],
    ['sizes', 'payload of 12MB exceeds 10 MiB', 'payload of <SIZE> exceeds <SIZE>'],
    [
      'a size restated in another unit as one size',
      'close, 451 bytes sent, 18846 bytes (18.4 KB) received',
      'close, <SIZE> sent, <SIZE> received',
    ],
    [
      'the value of key=value pairs, keeping a telling placeholder',
      'rejected mode=fast retries=3 user=bo@corp.io',
      'rejected mode=<VAL> retries=<NUM> user=<EMAIL>',
    ],
    [
      'an HTTP request line down to its method',
      '10.11.10.1 "DELETE /v2/54fadb41/servers/b9000564 HTTP/1.1" status: 204',
      '<IP> DELETE <PATH> HTTP/<NUM> status: <NUM>',
    ],
    ['a list of values written without spaces as one value', 'from 10.11.21.122,10.11.10.1 via 3,4,5', 'from <IP> via <NUM>'],
    ['sizes in bytes written B', 'estimated size 93.0 B, free 317.1 KB', 'estimated size <SIZE>, free <SIZE>'],
  ])('masks %s', (_kind, message, masked) => {
    expect(maskMessage(message)).toBe(masked);
  });

  it('keeps a quoted lone placeholder as its own type', () => {
    expect(maskMessage("ENOENT: open '/var/app/data/x.json'")).toBe('ENOENT: open <PATH>');
  });

  it('leaves digits that name things: versions, protocols, identifiers', () => {
    expect(maskMessage('v1.2.3 over http2 for user123 with utf8')).toBe('v1.2.3 over http2 for user123 with utf8');
  });

  it('opens no quote at the apostrophe of a contraction', () => {
    expect(maskMessage("can't connect, don't retry")).toBe("can't connect, don't retry");
  });

  it('takes neither scoped identifiers nor ordinary words for addresses or ids', () => {
    expect(maskMessage('std::vector Foo::bar dead::beef and/or decade facade')).toBe(
      'std::vector Foo::bar dead::beef and/or decade facade',
    );
  });

  it('splits the masked message on whitespace', () => {
    expect(maskedTokens('  user 42\tnot   found ')).toEqual(['user', '<NUM>', 'not', 'found']);
    expect(maskedTokens('   ')).toEqual([]);
  });

  it('is idempotent on arbitrary text', () => {
    const tricky = fc.constantFrom(...'ab0f9xX:/.\\-_=\'"` @<>()[]{},;!?~%+#\n\tµ'.split(''));
    fc.assert(
      fc.property(
        fc.array(tricky, { maxLength: 60 }).map((chars) => chars.join('')),
        (text) => {
          const once = maskMessage(text);
          expect(maskMessage(once)).toBe(once);
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('is idempotent on messages built from realistic fragments', () => {
    const fragment = fc.constantFrom(
      'user',
      'not found',
      '42',
      '3.14',
      '0xdeadbeef',
      'a3f9c2e1b7',
      '7f3e2a9b-1c2d-4e5f-8a9b-0c1d2e3f4a5b',
      'bo@corp.io',
      '10.0.0.1:80',
      '::1',
      'https://x.io/a?b=1',
      '/var/log/app.log',
      'C:\\tmp\\a.txt',
      "'quoted'",
      '"dq"',
      '`bt`',
      '2026-01-02T03:04:05Z',
      '250ms',
      '5 seconds',
      '12MB',
      'key=value',
      'k=7',
      "can't",
      'v2',
      '(',
      ')',
      ',',
      ':',
      '=',
      "'",
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 12 }), fc.constantFrom(' ', '', ', '), (parts, glue) => {
        const once = maskMessage(parts.join(glue));
        expect(maskMessage(once)).toBe(once);
      }),
      { numRuns: 5000 },
    );
  });
});
