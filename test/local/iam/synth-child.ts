// `tsx test/local/iam/synth-child.ts <config.json> <out.json>`: synthesizes the app for a local config
// and writes its templates (test/local/iam/synth.ts runs this in a child process).
import { readFileSync } from 'node:fs';
import { synthesizeInThisProcess } from './synth.js';

const [input, output] = process.argv.slice(2);
await synthesizeInThisProcess(JSON.parse(readFileSync(input, 'utf8')) as Record<string, unknown>, output);
