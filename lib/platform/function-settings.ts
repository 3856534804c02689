// How a Lambda gets its settings slice (lambdas/core/settings.ts) without crossing Lambda's 4 KB
// environment quota ("Lambda quotas": all environment variables together at most 4 KB) or bloating
// the template with one copy per function: values CloudFormation fills in at deploy time (ARNs with
// the account id, generated bucket and security-group names) go into RDSDR_SETTINGS, everything
// else into a JSON file bundled beside the handler. The bundle's asset hash covers the file, so a
// config change redeploys the functions it concerns and only those.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Stage, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

export interface SplitSettings {
  /** Values with CloudFormation references, resolved at deploy: they must travel in the environment. */
  readonly deployed: Record<string, unknown>;
  /** Plain values, known at synth: bundled with the code. */
  readonly bundled: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const hasToken = (v: unknown): boolean =>
  Token.isUnresolved(v) || (Array.isArray(v) && v.some(hasToken)) || (isObject(v) && Object.values(v).some(hasToken));

/** Splits `settings` object by object: each leaf (or array) with a token goes to `deployed`. */
export function splitDeployTimeValues(settings: Record<string, unknown>): SplitSettings {
  const deployed: Record<string, unknown> = {};
  const bundled: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    if (value === undefined) continue;
    if (isObject(value) && !Token.isUnresolved(value)) {
      const inner = splitDeployTimeValues(value);
      if (Object.keys(inner.deployed).length > 0) deployed[key] = inner.deployed;
      bundled[key] = inner.bundled;
    } else if (hasToken(value)) {
      deployed[key] = value;
    } else {
      bundled[key] = value;
    }
  }
  return { deployed, bundled };
}

/** The assembly-relative folder the bundled halves are written to before bundling copies them. */
export const SETTINGS_DIR = 'rds-dr-settings';

/**
 * Writes the bundled half into the cloud assembly, named by its content (functions with the same slice
 * share one file); returns its absolute path and its path relative to the assembly.
 */
export function writeBundledSettings(scope: Construct, bundled: Record<string, unknown>): { path: string; relative: string } {
  const text = JSON.stringify(bundled);
  const outdir = Stage.of(scope)?.outdir;
  if (!outdir) throw new Error('rds-dr settings: the function is not inside an App (no assembly directory to write its settings to)');
  const relative = join(SETTINGS_DIR, `${createHash('sha256').update(text).digest('hex').slice(0, 16)}.json`);
  mkdirSync(join(outdir, SETTINGS_DIR), { recursive: true });
  writeFileSync(join(outdir, relative), text);
  return { path: join(outdir, relative), relative };
}
