#!/usr/bin/env node
// In a checkout, run the TypeScript sources directly (Node >= 22.18 strips types); in the
// published package, which ships only dist/, run the compiled output.
import { existsSync } from 'node:fs';

const fromSource = existsSync(new URL('../src/cli/main.ts', import.meta.url));
const { runFromProcess } = await import(fromSource ? '../src/cli/main.ts' : '../dist/cli/main.js');
await runFromProcess();
