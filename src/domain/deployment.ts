/**
 * A deploy marker: when a version of the target service reached an environment. Outcomes start their
 * "after" window at the deploy that shipped a change, when one is known (proposals/outcomes/change-marker.ts).
 * Markers arrive by `POST /api/deployments` (kept in the store) or from a `deployments` telemetry table.
 */
export interface Deployment {
  /** The deploy's own id (a CI run, a release id): the same id twice is one deploy. */
  id: string;
  /** ISO instant the deploy finished. */
  deployedAt: string;
  /** The commit deployed (full or abbreviated sha). */
  commit?: string;
  /** The branch or tag deployed, e.g. "main", "v1.4.2", "improvement/<id>". */
  ref?: string;
  /** e.g. "production", "staging". */
  environment?: string;
  service?: string;
  /** Where the marker came from: the API (the store) or the warehouse's table. */
  source: 'api' | 'warehouse';
}

/** Whether two records of one id say the same thing: a replay is not a conflict. */
export function sameDeployment(a: Deployment, b: Deployment): boolean {
  return (
    a.id === b.id &&
    Date.parse(a.deployedAt) === Date.parse(b.deployedAt) &&
    a.commit === b.commit &&
    a.ref === b.ref &&
    a.environment === b.environment &&
    a.service === b.service
  );
}
