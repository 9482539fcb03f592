import { describe, expect, it } from 'vitest';
import { createTopicLabeler } from '../../../src/analyzers/learning/topic-label.ts';

const messages = [
  'The coupon SAVE10 is rejected at checkout although it has not expired.',
  'The coupon WINTER is rejected at checkout although it has not expired.',
  'Checkout shows an error when I apply coupon SAVE10.',
  'Checkout shows an error when I apply coupon SPRING.',
  'Has order 1042 shipped yet?',
  'Has order 1043 shipped yet?',
  'Where is my order 1044? It was supposed to arrive on Monday.',
  'Where is my order 1045? It was supposed to arrive on Friday.',
];

describe('naming a topic', () => {
  const labeler = createTopicLabeler(messages);

  it('names it by the words all its phrasings share, not by one phrasing or a connective', () => {
    expect(labeler.label([0, 1, 2, 3])).toEqual(['checkout', 'coupon']);
  });

  it('never uses a word only one question of the topic has, nor a connective', () => {
    expect(labeler.label([0, 1])).toEqual(['expired', 'rejected', 'checkout']);
    expect(labeler.label([4, 5, 6, 7])).toEqual(['order']);
  });
});
