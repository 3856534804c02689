import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionArnPlaceholder, LAMBDAS, WORKFLOWS } from '../../lib/platform/registry.js';

const require = createRequire(import.meta.url);
const validator = require('asl-validator') as (d: unknown) => { isValid: boolean; errorsText(sep?: string): string };
const DIR = resolve(import.meta.dirname, '../../state-machines');
const files = readdirSync(DIR).filter((f) => f.endsWith('.asl.json'));
const ROOT = resolve(import.meta.dirname, '../..');

describe.each(files)('%s', (file) => {
  const text = readFileSync(join(DIR, file), 'utf8');
  const placeholders = [...new Set([...text.matchAll(/\$\{(\w+)\}/g)].map((m) => m[1]))];

  it('is valid ASL as written and once its ${...} placeholders are substituted', () => {
    const raw = validator(JSON.parse(text));
    expect(raw.errorsText('\n')).toBe('');
    const substituted = validator(JSON.parse(text.replace(/\$\{(\w+)\}/g, 'arn:aws:lambda:us-east-1:123456789012:function:$1')));
    expect(substituted.errorsText('\n')).toBe('');
    expect(substituted.isValid).toBe(true);
  });

  it('references exactly the Lambdas the registry lists for its workflow (and the deployment Region), each with a handler file', () => {
    const workflow = Object.entries(WORKFLOWS).find(([, w]) => w.asl === `state-machines/${file}`);
    expect(workflow, `${file} is not in lib/platform/registry.ts`).toBeDefined();
    const listed = workflow![1].lambdas;
    expect(placeholders.filter((p) => p !== 'Region').sort()).toEqual(listed.map(functionArnPlaceholder).sort());
    for (const name of listed) expect(existsSync(resolve(ROOT, LAMBDAS[name])), LAMBDAS[name]).toBe(true);
  });
});

it('there is at least one workflow definition', () => {
  expect(files).toContain('backup.asl.json');
});
