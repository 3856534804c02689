// The CloudFormation templates `cdk synth` produces for a local config, cached on disk: a synth
// takes ~10 s, and every integration test file starts a local AWS from one of a few configs.
// Lambda bundling is skipped (as test/lib/fixtures.ts testApp() does): it only changes code assets.
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { join, resolve } from 'node:path';

const REPO_ROOT = resolve(import.meta.dirname, '../../..');
const CACHE_DIR = join(REPO_ROOT, '.tmp', 'rds-dr-iam');

export type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
export interface SynthesizedStacks {
  /** Keyed by the stack's region. */
  stacks: { region: string; template: Template }[];
}

/** Files whose content decides the templates: the CDK app and what it imports from lambdas/core. */
function sourceFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((f) => {
      const path = join(dir, f);
      return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
    });
  const cdkVersion = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules/aws-cdk-lib/package.json'), 'utf8')).version as string;
  return [...walk(join(REPO_ROOT, 'lib')), ...walk(join(REPO_ROOT, 'lambdas/core')), join(REPO_ROOT, 'package-lock.json'), `aws-cdk-lib@${cdkVersion}`];
}

function cacheKey(config: unknown): string {
  const hash = createHash('sha256').update(JSON.stringify(config));
  for (const f of sourceFiles()) hash.update(f.startsWith('aws-cdk-lib@') ? f : `${f}\0${readFileSync(f)}`);
  return hash.digest('hex').slice(0, 24);
}

/** The templates of the app built from `rawConfig` (already naming the local account), from cache or by synth. */
export async function synthesizeTemplates(rawConfig: Record<string, unknown>): Promise<SynthesizedStacks> {
  const path = join(CACHE_DIR, `${cacheKey(rawConfig)}.json`);
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as SynthesizedStacks;
  } catch {
    // not cached yet
  }
  // In a child process: a synth holds its process's event loop for ~10 s (a minute on a loaded
  // machine), and a vitest worker that stays silent for 60 s fails the run with an RPC timeout.
  mkdirSync(CACHE_DIR, { recursive: true });
  const input = `${path}.${process.pid}.config.json`;
  writeFileSync(input, JSON.stringify(rawConfig));
  try {
    await promisify(execFile)(join(REPO_ROOT, 'node_modules/.bin/tsx'), [join(import.meta.dirname, 'synth-child.ts'), input, path], { cwd: REPO_ROOT, maxBuffer: 64 * 1024 * 1024 });
  } catch (err) {
    const e = err as { stderr?: string; message: string };
    throw new Error(`IAM simulation: cdk synth of the local config failed: ${e.stderr || e.message}`);
  } finally {
    rmSync(input, { force: true });
  }
  return JSON.parse(readFileSync(path, 'utf8')) as SynthesizedStacks;
}

/** The synth itself, run by synth-child.ts: writes the templates to `path` atomically. */
export async function synthesizeInThisProcess(rawConfig: Record<string, unknown>, path: string): Promise<void> {
  // Loaded here only: aws-cdk-lib alone takes seconds to import.
  const { App } = await import('aws-cdk-lib');
  const { buildApp } = await import('../../../lib/platform/app.js');
  const { parseConfig } = await import('../../../lib/platform/config/schema.js');
  const built = buildApp(parseConfig(rawConfig, 'local config (IAM simulation)'), {
    app: new App({ context: { 'aws:cdk:bundling-stacks': [] } }),
    // cdk-nag does not change templates; test/lib/platform/cdk-nag.test.ts runs it.
    nag: false,
  });
  const assembly = built.app.synth();
  const result: SynthesizedStacks = {
    stacks: assembly.stacks.map((s) => ({ region: s.environment.region, template: s.template as Template })),
  };
  // Atomic: test files in parallel workers may synthesize the same config at once.
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(result));
  renameSync(tmp, path);
}
