/** The distinct texts in order of first appearance, how often each occurs, and each input's distinct index. */
export function distinctTexts(texts: readonly string[]): { distinct: string[]; weights: number[]; idOf: number[] } {
  const ids = new Map<string, number>();
  const weights: number[] = [];
  const idOf = texts.map((text) => {
    let id = ids.get(text);
    if (id === undefined) {
      ids.set(text, (id = weights.length));
      weights.push(0);
    }
    weights[id]! += 1;
    return id;
  });
  return { distinct: [...ids.keys()], weights, idOf };
}
