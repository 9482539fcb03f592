export * from './proposal.ts';
export * from './errors.ts';
export * from './lifecycle.ts';
export * from './policy.ts';
