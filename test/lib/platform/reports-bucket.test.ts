// The reports bucket survives `cdk destroy` (audit trail), so the DR stack must be able to create a
// new one on the next deployment: its name changes with every creation of the stack, and everything
// in the primary region that uses the bucket still reaches whichever bucket the DR stack created.
import { beforeAll, describe, expect, it } from 'vitest';
import { runtimeSettingsSchema } from '../../../lambdas/core/settings.js';
import { REPORTS_BUCKET_SUFFIX_LENGTH, reportsBucketPrefix } from '../../../lib/platform/reports-bucket.js';
import { AWS_REGIONS } from '../../../lib/platform/config/regions.js';
import { asArray, type IamStatement, LONG_TIMEOUT, settingsOf, synth, testConfig, TEST_ACCOUNT, type Synthesized } from '../fixtures.js';

let s: Synthesized;
beforeAll(() => {
  s = synth(testConfig());
}, LONG_TIMEOUT);

const DR = 'eu-west-1';
const PARAMETER = '/acme-dr/reports-bucket';
const stackId = (uuid: string) => `arn:aws:cloudformation:${DR}:${TEST_ACCOUNT}:stack/acme-dr-dr/${uuid}`;
/** Two creations of the DR stack: the first, and the one after a `cdk destroy` that kept the bucket. */
const FIRST = stackId('0a1b2c3d-1111-4222-8333-444455556666');
const AFTER_DESTROY = stackId('9f8e7d6c-aaaa-4bbb-8ccc-ddddeeeeffff');

/** Evaluates the intrinsics a name can be built with, for a given AWS::StackId. */
function evaluate(value: unknown, id: string): unknown {
  if (typeof value === 'string') return value;
  const [[fn, arg]] = Object.entries(value as Record<string, unknown>) as [[string, never]];
  switch (fn) {
    case 'Ref':
      if (arg === 'AWS::StackId') return id;
      if (arg === 'AWS::Region') return DR;
      if (arg === 'AWS::AccountId') return TEST_ACCOUNT;
      throw new Error(`the bucket's name refers to ${arg}`);
    case 'Fn::Join': {
      const [sep, parts] = arg as [string, unknown[]];
      return parts.map((p) => evaluate(p, id)).join(sep);
    }
    case 'Fn::Split': {
      const [sep, text] = arg as [string, unknown];
      return String(evaluate(text, id)).split(sep);
    }
    case 'Fn::Select': {
      const [index, list] = arg as [number, unknown];
      return (evaluate(list, id) as unknown[])[Number(index)];
    }
    default:
      throw new Error(`unexpected ${fn} in the bucket's name`);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- template resources as aws-cdk-lib/assertions types them
const reportsBucket = (): [string, any] => {
  // The DR stack's buckets: the reports bucket and the work bucket (drills and the DR backup's runs).
  const buckets = Object.entries(s.drTemplate!.findResources('AWS::S3::Bucket')).filter(([id]) => id.startsWith('Reports'));
  expect(buckets).toHaveLength(1);
  return buckets[0];
};
const bucketNameFor = (id: string) => String(evaluate(reportsBucket()[1].Properties.BucketName, id));

/** IAM's matching: `*` any run of characters, `?` exactly one. */
const iamPattern = (arn: string) => new RegExp(`^${arn.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
/** S3 grants in the primary stack on anything but its own buckets (the work bucket: a local reference, not a name). */
const primaryS3Statements = (): { role: string; statement: IamStatement }[] =>
  Object.entries(s.primaryTemplate.findResources('AWS::IAM::Policy')).flatMap(([id, p]) =>
    (p.Properties.PolicyDocument.Statement as IamStatement[])
      .filter((st) => st.Effect === 'Allow' && asArray(st.Action).some((a) => a.startsWith('s3:')))
      .filter((st) => !Object.keys(s.primaryTemplate.findResources('AWS::S3::Bucket')).some((bucketId) => JSON.stringify(st.Resource).includes(`"${bucketId}"`)))
      .map((statement) => ({ role: id, statement })),
  );

describe('reports bucket', { timeout: LONG_TIMEOUT }, () => {
  it('is retained when the stack is deleted or the bucket replaced', () => {
    const [, bucket] = reportsBucket();
    expect(bucket.DeletionPolicy).toBe('Retain');
    expect(bucket.UpdateReplacePolicy).toBe('Retain');
  });

  it('gets a new name each time the DR stack is created, so a deployment after `cdk destroy` does not collide with the kept bucket', () => {
    const [, bucket] = reportsBucket();
    expect(typeof bucket.Properties.BucketName).not.toBe('string');
    expect(JSON.stringify(bucket.Properties.BucketName)).toContain('"Ref":"AWS::StackId"');
    const first = bucketNameFor(FIRST);
    const second = bucketNameFor(AFTER_DESTROY);
    expect(first).toBe('acme-dr-reports-eu-west-1-0a1b2c3d');
    expect(second).toBe('acme-dr-reports-eu-west-1-9f8e7d6c');
    expect(second).not.toBe(first);
    // Updates keep the stack id, hence the name (and the bucket).
    expect(bucketNameFor(FIRST)).toBe(first);
  });

  it('has a valid S3 name for the longest app name and region', () => {
    const longestRegion = [...AWS_REGIONS].sort((a, b) => b.length - a.length)[0];
    const name = `${reportsBucketPrefix('a'.repeat(21), longestRegion)}-${'0'.repeat(REPORTS_BUCKET_SUFFIX_LENGTH)}`;
    expect(name.length).toBeLessThanOrEqual(63);
    expect(bucketNameFor(FIRST)).toMatch(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/);
  });

  it('is named in an SSM String parameter of the DR region, which goes with the stack', () => {
    const [bucketId] = reportsBucket();
    const parameters = Object.values(s.drTemplate!.findResources('AWS::SSM::Parameter')).filter((p) => p.Properties.Name === PARAMETER);
    expect(parameters).toHaveLength(1);
    expect(parameters[0].Properties).toMatchObject({ Type: 'String', Value: { Ref: bucketId } });
    // Deleted with the stack, so the next creation can create it again.
    expect(parameters[0].DeletionPolicy).toBeUndefined();
  });
});

describe('primary-region users of the reports bucket', { timeout: LONG_TIMEOUT }, () => {
  it('are granted S3 only on the bucket the DR stack creates, whichever creation it is, and only in this account', () => {
    const statements = primaryS3Statements();
    // prune (plan, report), the RPO monitor and the primary restore's timeline.
    expect(new Set(statements.map((st) => st.role)).size).toBeGreaterThanOrEqual(4);
    for (const id of [FIRST, AFTER_DESTROY]) {
      const bucket = bucketNameFor(id);
      for (const { role, statement } of statements) {
        for (const resource of asArray(statement.Resource) as string[]) {
          expect(typeof resource, `${role}: ${JSON.stringify(resource)}`).toBe('string');
          const pattern = iamPattern(resource);
          // arn:aws:s3:::<bucket>[/<key pattern>]: a key the grant is for, in the bucket of this creation.
          const keyPattern = /^arn:aws:s3:::[^/]+(\/.*)?$/.exec(resource)![1] ?? '';
          const key = keyPattern.replace(/[*?]/g, 'x');
          expect(pattern.test(`arn:aws:s3:::${bucket}${key}`), `${role}: ${resource} does not cover ${bucket}`).toBe(true);
          // Not a bucket with a longer name of the same start, nor another app's.
          expect(pattern.test(`arn:aws:s3:::${bucket}x${key}`)).toBe(false);
          expect(pattern.test(`arn:aws:s3:::other-reports-${DR}-0a1b2c3d${key}`)).toBe(false);
        }
        expect(statement.Condition?.StringEquals?.['s3:ResourceAccount'], `${role}: S3 grant not limited to this account`).toBe(TEST_ACCOUNT);
      }
    }
  });

  it('read the bucket\'s name from the DR region\'s parameter, and may read only that parameter', () => {
    const functions = Object.entries(s.primaryTemplate.findResources('AWS::Lambda::Function'));
    const users = functions.filter(([, fn]) => runtimeSettingsSchema.parse(settingsOf(fn)).reportsBucketParameter !== undefined);
    const s3Roles = new Set(primaryS3Statements().map((st) => st.role));
    expect(users.length).toBe(s3Roles.size);
    const parameterArn = `arn:aws:ssm:${DR}:${TEST_ACCOUNT}:parameter${PARAMETER}`;
    for (const [id, fn] of users) {
      const settings = runtimeSettingsSchema.parse(settingsOf(fn));
      expect(settings.reportsBucketParameter).toBe(PARAMETER);
      expect(settings.reportsBucket, id).toBeUndefined();
      const roleId = fn.Properties.Role['Fn::GetAtt'][0] as string;
      const policy = Object.entries(s.primaryTemplate.findResources('AWS::IAM::Policy')).find(([, p]) => JSON.stringify(p.Properties.Roles).includes(`"${roleId}"`));
      expect(s3Roles.has(policy![0]), `${id} reads the parameter but has no S3 grant`).toBe(true);
      const reads = (policy![1].Properties.PolicyDocument.Statement as IamStatement[]).filter((st) => asArray(st.Action).includes('ssm:GetParameter'));
      expect(reads.map((st) => st.Resource)).toEqual([parameterArn]);
    }
  });
});
