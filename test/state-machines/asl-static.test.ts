import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { functionArnPlaceholder, LAMBDAS, WORKFLOWS } from '../../lib/platform/registry.js';
import { runDataRef } from '../../lambdas/core/run-data.js';
import { hasOperation, sfnErrorNames, toSdkInput } from '../local/sdk-contract.js';

type StateDef = {
  Resource?: string;
  Parameters?: unknown;
  Retry?: { ErrorEquals: string[] }[];
  Catch?: { ErrorEquals: string[] }[];
  ItemProcessor?: { States: Record<string, StateDef> };
  Iterator?: { States: Record<string, StateDef> };
  Branches?: { States: Record<string, StateDef> }[];
};

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

  it('calls AWS APIs only with fields the API has, under the names Step Functions uses, and retries or catches only errors Step Functions can report', () => {
    const problems: string[] = [];
    const visit = (states: Record<string, StateDef>) => {
      for (const [name, state] of Object.entries(states)) {
        for (const child of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) if (child) visit(child.States);
        const sdk = /^arn:aws:states:::aws-sdk:([a-z0-9]+):([A-Za-z0-9]+)$/.exec(state.Resource ?? '');
        if (!sdk) continue;
        const [, service, action] = sdk;
        if (!hasOperation(service, action)) {
          problems.push(`${name}: ${service}:${action} is not an API action`);
          continue;
        }
        problems.push(...toSdkInput(service, action, state.Parameters).problems.map((p) => `${name}: ${p}`));
        const known = sfnErrorNames(service);
        for (const error of [...(state.Retry ?? []), ...(state.Catch ?? [])].flatMap((r) => r.ErrorEquals)) {
          if (!error.startsWith('States.') && !known.has(error)) problems.push(`${name}: "${error}" is never reported by Step Functions for ${service} (not a modelled error of the API)`);
        }
      }
    };
    visit(JSON.parse(text).States);
    expect(problems).toEqual([]);
  });
});

it('there is at least one workflow definition', () => {
  expect(files).toContain('backup.asl.json');
});

it('no RDS task retries errors that cannot succeed later: never Rds.RdsException (AccessDenied, bad parameters and throttling share it) nor States.ALL; a throttle is retried only by its cause, a bounded number of times', () => {
  type Rule = { Variable?: string; StringMatches?: string; NumericLessThan?: number; And?: Rule[]; Next?: string };
  type State = Omit<StateDef, 'Catch'> & { Type?: string; Choices?: Rule[]; Default?: string; Next?: string; Catch?: { ErrorEquals: string[]; Next: string; ResultPath?: string | null }[] };
  const problems: string[] = [];
  const visit = (file: string, states: Record<string, State>) => {
    for (const [name, state] of Object.entries(states)) {
      for (const child of [state.ItemProcessor, state.Iterator, ...(state.Branches ?? [])]) if (child) visit(file, child.States as Record<string, State>);
      const retried = (state.Retry ?? []).flatMap((r) => r.ErrorEquals);
      if (retried.includes('Rds.RdsException')) problems.push(`${file} ${name}: retries Rds.RdsException`);
      if (!/^arn:aws:states:::aws-sdk:rds:/.test(state.Resource ?? '')) continue;
      if (retried.includes('States.ALL') || retried.includes('States.TaskFailed')) problems.push(`${file} ${name}: retries every error`);
      // The catch-all RDS name goes to a Choice that tries again only on "Rate exceeded", under a counter.
      const caught = state.Catch?.find((c) => c.ErrorEquals.includes('Rds.RdsException'));
      const choice = caught && states[caught.Next];
      const rules = (choice?.Choices ?? []).flatMap((r) => r.And ?? [r]);
      const byCause = rules.some((r) => r.Variable === `${caught?.ResultPath}.Cause` && r.StringMatches === '*Rate exceeded*');
      const bounded = rules.some((r) => typeof r.NumericLessThan === 'number' && r.Variable?.startsWith('$.throttled.'));
      if (!choice || choice.Type !== 'Choice' || !byCause || !bounded) problems.push(`${file} ${name}: Rds.RdsException is not caught into a bounded throttle check ("Rate exceeded" in the cause)`);
    }
  };
  for (const file of files) visit(file, JSON.parse(readFileSync(join(DIR, file), 'utf8')).States);
  expect(problems).toEqual([]);
});

it("every Distributed Map writes its results under the prefix its report step reads (runDataRef's resultsPrefix for that workflow)", () => {
  type State = { Type?: string; ItemProcessor?: { ProcessorConfig?: { Mode?: string }; States: Record<string, State> }; ResultWriter?: { Parameters?: { Prefix?: string } } };
  const found: { file: string; name: string; prefix?: string; expected: string }[] = [];
  const visit = (file: string, workflow: string, states: Record<string, State>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.ItemProcessor) visit(file, workflow, state.ItemProcessor.States);
      if (state.ItemProcessor?.ProcessorConfig?.Mode !== 'DISTRIBUTED') continue;
      const expected = runDataRef('bucket', workflow, 'arn:aws:states:us-east-1:123456789012:execution:sm:run', new Date()).resultsPrefix;
      found.push({ file, name, prefix: state.ResultWriter?.Parameters?.Prefix, expected });
    }
  };
  for (const [workflow, { asl }] of Object.entries(WORKFLOWS)) visit(asl, workflow, JSON.parse(readFileSync(join(ROOT, asl), 'utf8')).States);
  expect(found.length).toBeGreaterThanOrEqual(3);
  expect(found.filter((f) => f.prefix !== f.expected)).toEqual([]);
});
