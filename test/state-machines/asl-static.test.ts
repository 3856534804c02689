import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const validator = require('asl-validator') as (d: unknown) => { isValid: boolean; errorsText(sep?: string): string };
const DIR = resolve(import.meta.dirname, '../../state-machines');
const files = readdirSync(DIR).filter((f) => f.endsWith('.asl.json'));
const LAMBDAS = resolve(import.meta.dirname, '../../lambdas');

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

  it('references only Lambda placeholders that name an existing handler folder (and the deployment Region)', () => {
    const folders = readdirSync(LAMBDAS);
    for (const name of placeholders.filter((p) => p !== 'Region')) {
      expect(name).toMatch(/FunctionArn$/);
      const folder = name.replace(/FunctionArn$/, '').replace(/[A-Z]/g, (c, i) => (i ? '-' : '') + c.toLowerCase());
      expect(folders).toContain(folder);
    }
  });
});

it('there is at least one workflow definition', () => {
  expect(files).toContain('backup.asl.json');
});
