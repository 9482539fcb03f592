import { createBugAnalyzer } from '../../src/analyzers/bugs/bug-analyzer.ts';
import { createFeatureAnalyzer } from '../../src/analyzers/features/feature-analyzer.ts';
import type { AssistantSources } from '../../src/assistant/sources.ts';
import type { ProposalStore } from '../../src/ports/store.ts';
import { createMemoryWarehouse, type MemoryWarehouseRows } from '../helpers/memory-warehouse.ts';

export const NOW = new Date('2026-11-26T12:00:00Z');
const HOUR = 3600 * 1000;

/** Checkout got slow yesterday; an error started on Tuesday (2026-11-24); customers ask for SSO and CSV export. */
export function sampleRows(): MemoryWarehouseRows {
  const metrics = [];
  for (let h = 1; h <= 24 * 6; h += 1) {
    const at = new Date(NOW.getTime() - h * HOUR);
    const slow = at >= new Date('2026-11-25T00:00:00Z');
    metrics.push({
      endpoint: 'POST /api/checkout',
      responseTimeMs: slow ? 2400 + (h % 7) * 10 : 600 + (h % 5) * 10,
      errorRate: 0.01,
      timestamp: at,
    });
    metrics.push({ endpoint: 'GET /api/orders/:id', responseTimeMs: 120 + (h % 3), errorRate: 0, timestamp: at });
  }
  const errors = [];
  for (let i = 0; i < 12; i += 1) {
    errors.push({
      message: `TypeError: Cannot read properties of undefined (reading 'total') for cart ${1000 + i}`,
      stack: 'TypeError: x\n    at priceCart (/srv/app/src/cart/pricing.js:42:13)',
      endpoint: 'POST /api/checkout',
      timestamp: new Date(Date.parse('2026-11-24T08:00:00Z') + i * HOUR),
    });
  }
  const interactions = [];
  const asks = [
    'Can you add SSO login with Okta please?',
    'We need SSO login via Okta for our team',
    'Please add CSV export of invoices',
    'I wish I could export invoices to CSV',
  ];
  for (let i = 0; i < 12; i += 1) {
    interactions.push({
      customerId: `cust-${i % 6}`,
      interactionType: i % 3 === 0 ? 'billing' : 'feature_request',
      message: asks[i % asks.length]!,
      outcome: i % 2 ? 'resolved' : 'escalated',
      sentiment: 0.2,
      metadata: { plan: i % 2 ? 'enterprise' : 'free' },
      timestamp: new Date(NOW.getTime() - (i + 1) * 6 * HOUR),
    });
  }
  return { metrics, errors, interactions };
}

export function sourcesOver(
  store: ProposalStore,
  rows: MemoryWarehouseRows = sampleRows(),
): AssistantSources & { warehouseRows: MemoryWarehouseRows } {
  const warehouse = createMemoryWarehouse(rows);
  return {
    warehouseRows: rows,
    store,
    warehouse: async () => warehouse,
    errorGroups: async () => createBugAnalyzer({ warehouse, settings: { minErrorsForBugReport: 1 }, appRoots: ['/srv/app'] }),
    featureThemes: async () => createFeatureAnalyzer({ warehouse, settings: { minFeatureRequestsForProposal: 2 } }),
    proposalLink: async (id) => `https://loop.example.com/proposals/${id}`,
    now: () => NOW,
  };
}
