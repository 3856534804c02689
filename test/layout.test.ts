// The layout's rules (README "Architecture"), read from the imports themselves. Each failure names
// the file, the import and the rule it breaks.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { LAMBDA_SETTINGS, LAMBDAS, type LambdaName } from '../lib/platform/registry.js';

const ROOT = resolve(import.meta.dirname, '..');
const SOURCE_DIRS = ['lambdas', 'lib', 'bin'];

function walk(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    return statSync(join(ROOT, path)).isDirectory() ? walk(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

interface Import {
  from: string;
  spec: string;
  /** Repo-relative .ts path of a relative import, else undefined (a package). */
  target?: string;
}

function importsOf(file: string): Import[] {
  // The compiler's own pre-processor: static imports, re-exports and dynamic import('...').
  const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
  return info.importedFiles.map(({ fileName: spec }) => ({
    from: file,
    spec,
    target: spec.startsWith('.') ? relative(ROOT, resolve(ROOT, dirname(file), spec)).replace(/\.js$/, '.ts') : undefined,
  }));
}

const files = SOURCE_DIRS.flatMap(walk);
const imports = files.flatMap(importsOf);

/** `lambdas/<layer>/...` -> layer ('core', 'aws', or a workflow folder). */
const layerOf = (path: string) => (path.startsWith('lambdas/') ? path.split('/')[1] : undefined);
const pkg = (spec: string) => (spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]);
const show = (i: Import) => `${i.from} imports '${i.spec}'`;

describe('layout rules', () => {
  it('sees the source tree', () => {
    expect(files.filter((f) => f.startsWith('lambdas/core/')).length).toBeGreaterThan(5);
    expect(files.filter((f) => f.startsWith('lambdas/aws/')).length).toBeGreaterThan(5);
    expect(imports.length).toBeGreaterThan(100);
  });

  it('1. code in a workflow folder imports only its own folder, core/ and aws/ (shared code moves down, never sideways)', () => {
    const violations = imports
      .filter((i) => i.target?.startsWith('lambdas/'))
      .filter((i) => {
        const from = layerOf(i.from)!;
        const to = layerOf(i.target!)!;
        if (!from) return false; // lib/ and bin/ may read the Lambdas' types and pure logic
        if (from === 'core') return to !== 'core';
        if (from === 'aws') return to !== 'aws' && to !== 'core';
        return to !== from && to !== 'core' && to !== 'aws';
      })
      .map((i) => `${show(i)}: ${layerOf(i.from)}/ may import only ${layerOf(i.from) === 'core' ? 'core/' : layerOf(i.from) === 'aws' ? 'aws/ and core/' : `${layerOf(i.from)}/, core/ and aws/`}`);
    expect(violations).toEqual([]);
  });

  it('1b. in lib/, a workflow\'s construct imports only its own folder and lib/platform/; only the stacks put workflows together', () => {
    const composition = ['lib/platform/app.ts', 'lib/platform/primary-stack.ts', 'lib/platform/dr-stack.ts'];
    const libFolder = (path: string) => path.split('/')[1];
    const violations = imports
      .filter((i) => i.from.startsWith('lib/') && i.target?.startsWith('lib/') && !composition.includes(i.from))
      .filter((i) => libFolder(i.target!) !== libFolder(i.from) && libFolder(i.target!) !== 'platform')
      .map((i) => `${show(i)}: lib/${libFolder(i.from)}/ may import only lib/${libFolder(i.from)}/ and lib/platform/`);
    expect(violations).toEqual([]);
  });

  it('2. only lambdas/aws/ imports @aws-sdk/*; only lib/ imports aws-cdk-lib or constructs; lambdas/ never imports lib/; nothing imports test/ or @cloud-copilot/*', () => {
    const violations = imports.flatMap((i) => {
      const p = i.target ? undefined : pkg(i.spec);
      const out: string[] = [];
      if (p?.startsWith('@aws-sdk/') && !i.from.startsWith('lambdas/aws/')) out.push(`${show(i)}: only lambdas/aws/ may import @aws-sdk/*`);
      if ((p === 'aws-cdk-lib' || p === 'constructs' || p === 'cdk-nag') && !i.from.startsWith('lib/')) out.push(`${show(i)}: only lib/ may import ${p}`);
      if (i.from.startsWith('lambdas/') && (i.target?.startsWith('lib/') || i.target?.startsWith('bin/'))) out.push(`${show(i)}: the Lambdas are bundled alone and must not reach into lib/ or bin/`);
      // The IAM simulator (AGPL, test-only) must never reach a deployed Lambda or the CDK app.
      if (p?.startsWith('@cloud-copilot/') || i.target?.startsWith('test/')) out.push(`${show(i)}: test-only code (test/, @cloud-copilot/*) stays out of lambdas/, lib/ and bin/`);
      // settings.ts alone reads the deployment (its environment and the settings file bundled beside the handler).
      const allowed = i.from === 'lambdas/core/settings.ts' ? ['zod', 'node:fs'] : ['zod', 'node:crypto'];
      if (i.from.startsWith('lambdas/core/') && p && !allowed.includes(p)) out.push(`${show(i)}: core/ is pure (zod and node:crypto at most; settings.ts reads its file with node:fs)`);
      return out;
    });
    expect(violations).toEqual([]);
  });

  it('3. no import cycles', () => {
    const graph = new Map<string, string[]>();
    for (const i of imports) if (i.target) graph.set(i.from, [...(graph.get(i.from) ?? []), i.target]);
    const state = new Map<string, 'open' | 'done'>();
    const cycles: string[] = [];
    const visit = (file: string, path: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'open') {
        cycles.push([...path.slice(path.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'open');
      for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    expect(cycles).toEqual([]);
  });

  it('4. every Lambda handler file is in the registry, and every registry entry is a handler file that exports `handler`', () => {
    const handlerFiles = files.filter((f) => f.endsWith('.handler.ts'));
    const registered = Object.values(LAMBDAS) as string[];
    expect(handlerFiles.filter((f) => !registered.includes(f)).map((f) => `${f} is not in lib/platform/registry.ts LAMBDAS`)).toEqual([]);
    for (const entry of registered) {
      expect(entry, 'registry entries are lambdas/<folder>/<name>.handler.ts').toMatch(/^lambdas\/[a-z-]+\/[a-z-]+\.handler\.ts$/);
      expect(readFileSync(join(ROOT, entry), 'utf8'), `${entry} exports handler`).toMatch(/export (async )?function handler\(/);
    }
  });

  it('5. one configuration channel: the Lambdas read no environment variable but RDSDR_SETTINGS (and the runtime\'s own)', () => {
    const violations = files
      .filter((f) => f.startsWith('lambdas/'))
      .flatMap((f) => [...readFileSync(join(ROOT, f), 'utf8').matchAll(/process\.env(?:\.([A-Z_a-z]+)|\[)/g)].map((m) => ({ f, name: m[1] })))
      .filter(({ f, name }) => !(f === 'lambdas/core/settings.ts' || (f === 'lambdas/aws/logger.ts' && name === 'POWERTOOLS_SERVICE_NAME')))
      .map(({ f, name }) => `${f} reads process.env.${name ?? '[...]'}: pass it in the settings (lambdas/core/settings.ts) instead`);
    expect(violations).toEqual([]);
  });

  it('6. each handler asks readSettings for exactly the sections the registry gives it (LAMBDA_SETTINGS)', () => {
    const mismatches = Object.entries(LAMBDAS).flatMap(([name, entry]) => {
      const call = /readSettings\(([^)]*)\)/.exec(readFileSync(join(ROOT, entry), 'utf8'));
      const asked = call ? [...call[1].matchAll(/'([a-z]+)'/g)].map((m) => m[1]).sort() : [];
      const given = [...LAMBDA_SETTINGS[name as LambdaName]].sort();
      return asked.join() === given.join() ? [] : [`${entry} reads [${asked}] but the registry gives [${given}]`];
    });
    expect(mismatches).toEqual([]);
  });
});
