// Each region pages on its own: the DR stack has its own alert and warning topics with the primary's
// subscriptions, and nothing in it is given, or allowed to publish to, a topic of the primary region.
import type { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../lib/platform/config/schema.js';
import { allowing, asArray, LONG_TIMEOUT, rawDrillConfig, settingsOf, synth, TEST_ACCOUNT, type IamStatement, type Synthesized } from '../fixtures.js';

const PRIMARY = 'eu-central-1';
const DR = 'eu-west-1';

/** Drills (sweeper warnings), a failover (incident notices), the restore workflow, and warning recipients of their own. */
function everyDrWorkflowConfig() {
  const raw = rawDrillConfig();
  raw.monitoring = { warningEmails: ['warnings@example.com'] };
  raw.incident = { databases: { orders: { standby: { replicaInstance: 'orders-replica' }, endpoint: { ssmParameter: '/app/orders/writer' } } } };
  return parseConfig(raw, 'test');
}

let s: Synthesized;
beforeAll(() => {
  s = synth(everyDrWorkflowConfig());
}, LONG_TIMEOUT);

const topicId = (t: Template, name: string) => {
  const found = Object.entries(t.findResources('AWS::SNS::Topic')).filter(([, r]) => r.Properties.TopicName === name);
  expect(found, `topic ${name}`).toHaveLength(1);
  return found[0][0];
};
/** [protocol, endpoint] of every subscription of the topic, sorted. */
const subscriptionsOf = (t: Template, name: string) =>
  Object.values(t.findResources('AWS::SNS::Subscription'))
    .filter((r) => r.Properties.TopicArn.Ref === topicId(t, name))
    .map((r) => [r.Properties.Protocol, r.Properties.Endpoint, r.Properties.RawMessageDelivery])
    .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** Every Allow statement of every identity policy of the template (inline role policies included). */
function identityStatements(t: Template): IamStatement[] {
  const attached = Object.values(t.findResources('AWS::IAM::Policy')).flatMap((p) => p.Properties.PolicyDocument.Statement as IamStatement[]);
  const inline = Object.values(t.findResources('AWS::IAM::Role')).flatMap((r) =>
    ((r.Properties.Policies ?? []) as { PolicyDocument: { Statement: IamStatement[] } }[]).flatMap((p) => p.PolicyDocument.Statement),
  );
  return [...attached, ...inline].filter((st) => st.Effect === 'Allow');
}

describe('the DR stack\'s own topics', { timeout: LONG_TIMEOUT }, () => {
  const dr = () => s.drTemplate!;

  it('has an alert and a warning topic, each encrypted with its own rotating key under the same alias as in the primary region, TLS only', () => {
    for (const [name, alias] of [['acme-dr-alerts', 'alias/acme-dr/alerts'], ['acme-dr-warnings', 'alias/acme-dr/warnings']]) {
      const topic = dr().findResources('AWS::SNS::Topic')[topicId(dr(), name)];
      const keyId = topic.Properties.KmsMasterKeyId['Fn::GetAtt'][0];
      expect(dr().findResources('AWS::KMS::Key')[keyId].Properties.EnableKeyRotation).toBe(true);
      dr().hasResourceProperties('AWS::KMS::Alias', { AliasName: alias, TargetKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
      s.primaryTemplate.hasResourceProperties('AWS::KMS::Alias', { AliasName: alias });
      const policy = Object.values(dr().findResources('AWS::SNS::TopicPolicy')).find((p) => JSON.stringify(p.Properties.Topics) === JSON.stringify([{ Ref: topicId(dr(), name) }]));
      expect(policy?.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
    const keys = ['acme-dr-alerts', 'acme-dr-warnings'].map((n) => dr().findResources('AWS::SNS::Topic')[topicId(dr(), n)].Properties.KmsMasterKeyId['Fn::GetAtt'][0]);
    expect(new Set(keys).size).toBe(2);
  });

  it('subscribes what the primary\'s do: alerts.emails and PagerDuty (HTTPS, SNS envelope) to alerts, monitoring.warningEmails to warnings', () => {
    expect(subscriptionsOf(dr(), 'acme-dr-alerts')).toEqual([
      ['email', 'dba@example.com', undefined],
      ['email', 'oncall@example.com', undefined],
      ['https', 'https://events.pagerduty.com/integration/abc/enqueue', false],
    ]);
    expect(subscriptionsOf(dr(), 'acme-dr-warnings')).toEqual([['email', 'warnings@example.com', undefined]]);
    for (const name of ['acme-dr-alerts', 'acme-dr-warnings']) expect(subscriptionsOf(dr(), name)).toEqual(subscriptionsOf(s.primaryTemplate, name));
  });
});

describe('every function publishes in its own region', { timeout: LONG_TIMEOUT }, () => {
  const regionOfStack = (t: Template) => (t === s.primaryTemplate ? PRIMARY : DR);

  it('no DR-stack policy allows sns:Publish (or KMS for a topic key) in the primary region, and every publish names a DR topic', () => {
    const statements = identityStatements(s.drTemplate!);
    const publish = statements.filter((st) => asArray(st.Action).some((a) => a === 'sns:Publish' || a === 'sns:*'));
    // The failure-notifier, the RDS event notifier, the sweeper and two incident reports (failover, restore).
    expect(publish.length).toBeGreaterThanOrEqual(5);
    const drTopicRefs = [topicId(s.drTemplate!, 'acme-dr-alerts'), topicId(s.drTemplate!, 'acme-dr-warnings')];
    for (const st of publish) {
      for (const resource of asArray(st.Resource as unknown)) {
        const text = JSON.stringify(resource);
        expect(text).not.toContain(PRIMARY);
        const isDrTopic = drTopicRefs.some((id) => text === JSON.stringify({ Ref: id })) || /^"arn:aws:sns:eu-west-1:111122223333:acme-dr-(alerts|warnings)"$/.test(text);
        expect(isDrTopic, `sns:Publish on ${text}`).toBe(true);
      }
    }
    const topicKeyGrants = statements.filter((st) => /alias\/acme-dr\/(alerts|warnings)/.test(JSON.stringify(st.Condition ?? {})));
    expect(topicKeyGrants.length).toBeGreaterThan(0);
    for (const st of topicKeyGrants) expect(asArray(st.Resource as unknown)).toEqual([`arn:aws:kms:${DR}:${TEST_ACCOUNT}:key/*`]);
  });

  it('each function is given its own stack region\'s topics; the primary\'s stay on the primary region', () => {
    let checked = 0;
    for (const t of [s.primaryTemplate, s.drTemplate!]) {
      const region = regionOfStack(t);
      for (const fn of Object.values(t.findResources('AWS::Lambda::Function'))) {
        const settings = settingsOf(fn);
        expect(settings.alertTopicArn).toBe(`arn:aws:sns:${region}:${TEST_ACCOUNT}:acme-dr-alerts`);
        expect(settings.warningTopicArn).toBe(`arn:aws:sns:${region}:${TEST_ACCOUNT}:acme-dr-warnings`);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('the primary stack publishes only to primary-region topics', () => {
    const publish = allowing(identityStatements(s.primaryTemplate), 'sns:Publish');
    expect(publish.length).toBeGreaterThan(0);
    for (const st of publish) expect(JSON.stringify(st.Resource)).not.toContain(DR);
  });
});
