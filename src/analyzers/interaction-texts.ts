import type { AnalysisContext } from '../ports/analyzer.ts';
import type { Capped, InteractionText, TelemetryWarehouse } from '../ports/warehouse.ts';

/** No cap: the warehouse port takes one, and the largest safe integer is one no window reaches. */
export const NO_TEXT_CAP = Number.MAX_SAFE_INTEGER;

/**
 * The window's interaction texts, read once per cycle for every analyzer that needs them (learning
 * and features read the same rows); outside a cycle, read now.
 */
export function interactionTextsOnce(
  context: AnalysisContext,
  warehouse: TelemetryWarehouse,
  cap: number,
): Promise<Capped<InteractionText>> {
  const read = () => warehouse.interactionTexts(context.window, cap);
  const key = `interactionTexts ${context.window.from.toISOString()} ${context.window.to.toISOString()} ${cap}`;
  return context.reads ? context.reads.once(warehouse, key, read) : read();
}
