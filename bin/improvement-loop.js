#!/usr/bin/env node
// The installed command. Node resolves a symlinked main module (npm link, node_modules/.bin) to its
// real path, so the paths below are relative to this file wherever it is called from.
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

// Naming the tsconfig keeps TypeScript settings the same whatever the caller's working directory.
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });

const { runCli } = await import('../src/cli/main.ts');
process.exitCode = await runCli(process.argv);
