// Synthesizes a config (without bundling, as the CDK tests do) in its own process and prints what
// CloudFormation and Lambda will count: template bytes, resources, the largest function environment.
// A child process, so the test worker that asks stays responsive during a synth of a large config.
// Usage: tsx test/lib/platform/synth-sizes.ts <config.json>  → one JSON line on stdout.
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../../../lib/platform/app.js';
import { parseConfig } from '../../../lib/platform/config/schema.js';

export interface StackSize {
  stack: string;
  templateBytes: number;
  resources: number;
  largestEnvironmentBytes: number;
}

export type SynthSizes = { ok: true; stacks: StackSize[]; millis: number } | { ok: false; error: string; millis: number };

type Resource = { Type: string; Properties?: { Environment?: { Variables?: Record<string, unknown> } } };

const started = Date.now();
try {
  const config = parseConfig(JSON.parse(readFileSync(process.argv[2], 'utf8')), process.argv[2]);
  const { app } = buildApp(config, { app: new App({ context: { 'aws:cdk:bundling-stacks': [] } }) });
  const assembly = app.synth();
  const stacks = assembly.stacks.map((s): StackSize => {
    const resources = Object.values((s.template as { Resources: Record<string, Resource> }).Resources);
    const envBytes = resources
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => Object.entries(r.Properties?.Environment?.Variables ?? {}).reduce((n, [k, v]) => n + k.length + JSON.stringify(v).length, 0));
    return { stack: s.stackName, templateBytes: Buffer.byteLength(JSON.stringify(s.template)), resources: resources.length, largestEnvironmentBytes: Math.max(0, ...envBytes) };
  });
  console.log(JSON.stringify({ ok: true, stacks, millis: Date.now() - started } satisfies SynthSizes));
} catch (err) {
  console.log(JSON.stringify({ ok: false, error: String((err as Error).message ?? err), millis: Date.now() - started } satisfies SynthSizes));
}
