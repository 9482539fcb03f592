import { Router } from 'express';
import { z } from 'zod';
import type { Deployment } from '../../domain/deployment.ts';
import type { ProposalStore } from '../../ports/store.ts';
import { HttpProblem } from './errors.ts';
import { requestContext } from './request-context.ts';
import { bodyOf } from './request-schemas.ts';

/** A deploy in the future is a wrong clock or a wrong field, not a deploy; this much skew is tolerated. */
const FUTURE_SKEW_MS = 5 * 60_000;
const DAY = 86_400_000;

const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * A deploy marker as CI posts it. Unknown fields are refused rather than dropped, so a misspelled
 * `deployed_at` is a 400 that says so, not a marker without its time. snake_case is accepted for the
 * time and commit because deploy tools and the deployments table spell them so.
 */
export const deploymentBodySchema = z
  .object({
    id: text(200),
    deployedAt: z.iso.datetime({ offset: true }).optional(),
    deployed_at: z.iso.datetime({ offset: true }).optional(),
    commit: z
      .string()
      .regex(/^[0-9a-fA-F]{7,64}$/, 'a commit is 7 to 64 hex digits')
      .optional(),
    commit_sha: z
      .string()
      .regex(/^[0-9a-fA-F]{7,64}$/, 'a commit is 7 to 64 hex digits')
      .optional(),
    ref: text(255).optional(),
    environment: text(100).optional(),
    service: text(200).optional(),
  })
  .strict()
  .refine((b) => (b.deployedAt ?? b.deployed_at) !== undefined, {
    message: 'deployedAt is required (an ISO 8601 time with an offset)',
    path: ['deployedAt'],
  })
  .refine((b) => !(b.deployedAt && b.deployed_at) && !(b.commit && b.commit_sha), { message: 'give each field once, in one spelling' });

export const deploymentListSchema = z.object({
  days: z.coerce.number().int().min(1).max(366).default(30),
});

function toDeployment(body: z.infer<typeof deploymentBodySchema>, now: Date): Deployment {
  const deployedAt = new Date((body.deployedAt ?? body.deployed_at)!);
  if (deployedAt.getTime() > now.getTime() + FUTURE_SKEW_MS)
    throw new HttpProblem(400, 'bad_request', `deployedAt ${deployedAt.toISOString()} is in the future`);
  const commit = (body.commit ?? body.commit_sha)?.toLowerCase();
  return {
    id: body.id,
    deployedAt: deployedAt.toISOString(),
    ...(commit ? { commit } : {}),
    ...(body.ref ? { ref: body.ref } : {}),
    ...(body.environment ? { environment: body.environment } : {}),
    ...(body.service ? { service: body.service } : {}),
    source: 'api',
  };
}

/**
 * `POST /api/deployments` records a deploy marker (201; a replay of the same marker 200; the same id
 * with other values 409, the first kept) and `GET /api/deployments?days=30` lists the recent ones.
 * Mounted behind bearer auth and the JSON body parser like the rest of the API.
 */
export function deploymentRoutes({ store, now = () => new Date() }: { store: ProposalStore; now?: () => Date }): Router {
  const router = Router();

  router.post('/', async (req, res) => {
    const deployment = toDeployment(deploymentBodySchema.parse(bodyOf(req)), now());
    const { result, deployment: stored } = await store.recordDeployment(deployment);
    if (result === 'conflict')
      throw new HttpProblem(409, 'conflict', `Deployment ${deployment.id} was recorded before with other values; the first record stays`);
    requestContext(res).log.info({ deployment: stored.id, result }, 'deploy marker received');
    res.status(result === 'recorded' ? 201 : 200).json({ result, deployment: stored });
  });

  router.get('/', async (req, res) => {
    const { days } = deploymentListSchema.parse(req.query);
    const to = now();
    res.json({
      deployments: await store.listDeployments({ from: new Date(to.getTime() - days * DAY), to: new Date(to.getTime() + FUTURE_SKEW_MS) }),
    });
  });

  return router;
}
