import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { errorGroupKey } from '../../../src/analyzers/errors/group-key.ts';
import { topInAppFrames } from '../../../src/analyzers/errors/stack-frames.ts';

const stack = readFileSync(new URL('./fixtures/node-stack.txt', import.meta.url), 'utf8');

describe('the in-app frames of a Node.js stack trace', () => {
  it('keeps our frames in order, repo-relative, and skips dependencies, Node internals and eval', () => {
    expect(topInAppFrames(stack, { appRoots: ['/srv/app'] })).toEqual([
      { function: 'computeInvoiceTotal', file: 'src/billing/invoice.ts', line: 42, column: 17 },
      { function: 'InvoiceService.render', file: 'src/billing/service.ts', line: 88, column: 23 },
      { function: 'handleRequest', file: 'src/http/routes.ts', line: 120, column: 5 },
      { function: 'new Worker', file: 'src/jobs/worker.ts', line: 10, column: 9 },
      { function: '<anonymous>', file: 'src/jobs/boot.ts', line: 3, column: 1 },
    ]);
  });

  it('leaves files absolute when no app root matches, and stops at the limit', () => {
    expect(topInAppFrames(stack, { appRoots: ['/elsewhere'], limit: 1 })).toEqual([
      { function: 'computeInvoiceTotal', file: '/srv/app/src/billing/invoice.ts', line: 42, column: 17 },
    ]);
  });

  it('reads Windows paths and file URLs against a Windows app root', () => {
    const windows = [
      'Error: boom',
      '    at save (C:\\work\\app\\src\\store.js:7:3)',
      '    at file:///C:/work/app/src/main.js:2:1',
      '    at C:\\work\\app\\node_modules\\pg\\index.js:1:1',
    ].join('\n');
    expect(topInAppFrames(windows, { appRoots: ['C:\\work\\app'] })).toEqual([
      { function: 'save', file: 'src/store.js', line: 7, column: 3 },
      { function: '<anonymous>', file: 'src/main.js', line: 2, column: 1 },
    ]);
  });

  it('finds nothing in a message without frames', () => {
    expect(topInAppFrames('Error: no stack here')).toEqual([]);
  });
});

describe('the key of an error group', () => {
  const frames = topInAppFrames(stack, { appRoots: ['/srv/app'] });

  it('survives edits that only move the throwing line', () => {
    const moved = frames.map((frame) => ({ ...frame, line: frame.line + 12 }));
    expect(errorGroupKey('Cannot read <STR>', moved)).toBe(errorGroupKey('Cannot read <STR>', frames));
  });

  it('separates the same message thrown from another place', () => {
    expect(errorGroupKey('Cannot read <STR>', frames.slice(1))).not.toBe(errorGroupKey('Cannot read <STR>', frames));
  });

  it('separates different messages from the same place', () => {
    expect(errorGroupKey('Timeout after <DUR>', frames)).not.toBe(errorGroupKey('Cannot read <STR>', frames));
  });

  it('is a short hex digest that depends on the template alone when there are no frames', () => {
    expect(errorGroupKey('Cannot read <STR>', [])).toMatch(/^[0-9a-f]{12}$/);
    expect(errorGroupKey('Cannot read <STR>', [])).toBe(errorGroupKey('Cannot read <STR>', []));
  });
});
