#!/usr/bin/env node
// The installed command. Node resolves a symlinked main module (npm link, node_modules/.bin) to its
// real path, so load-cli.js finds dist/ and src/ beside this file wherever it is called from.
import { loadCli } from './load-cli.js';

const runCli = await loadCli();
process.exitCode = await runCli(process.argv);
