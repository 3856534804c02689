// The local AWS's region outage (region-outage.ts): a failed region is unreachable at the network
// level for the Lambdas' clients, the workflows' aws-sdk tasks and the CLI's clients; the other
// region keeps working; after the outage ends every call works again.
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsClients } from '../../lambdas/aws/clients.js';
import { SfnExecutions } from '../../lambdas/aws/step-functions.js';
import { inlineWorkflows } from './inline-workflow.js';
import { LocalStack } from './local-stack.js';
import { LOCAL_ACCOUNT_ID, motoClientConfig } from './moto.js';
import { regionOutages } from './region-outage.js';
import { executionStatusChangeEvent } from './workflow-runner.js';
import { DR, localConfig, PRIMARY } from '../state-machines/fixtures.js';

type SdkFailure = Error & { code?: string; $metadata?: { httpStatusCode?: number; attempts?: number } };
const failureOf = (call: Promise<unknown>): Promise<SdkFailure | undefined> => call.then(() => undefined, (err: SdkFailure) => err);

/** A connection error: no HTTP status (no service answered), a Node network error code, retried as transient. */
function expectNetworkError(err: SdkFailure | undefined, attempts: number): void {
  expect(err?.code).toBe('ECONNREFUSED');
  expect(err?.message).toMatch(/ECONNREFUSED/);
  expect(err?.$metadata?.httpStatusCode).toBeUndefined();
  expect(err?.$metadata?.attempts).toBe(attempts);
}

const workflows = inlineWorkflows('region-outage');
const describeTask = (region: string) =>
  workflows.asl(`describe-${region}`, {
    StartAt: 'Describe',
    States: { Describe: { Type: 'Task', Resource: 'arn:aws:states:::aws-sdk:rds:describeDBInstances', Parameters: {}, End: true } },
  });

describe('a region outage in the local AWS', () => {
  let aws: LocalStack;

  beforeAll(async () => {
    aws = await LocalStack.start({ config: localConfig() });
    await new SSMClient(motoClientConfig(aws.moto, PRIMARY)).send(new PutParameterCommand({ Name: '/outage/probe', Value: 'primary', Type: 'String' }));
  }, 120_000);
  afterAll(async () => aws?.stop());

  it('fails every call into the region with a connection error, leaves the other region alone, and recovers', async () => {
    const outage = await aws.regionOutage(PRIMARY);
    let run: Awaited<ReturnType<typeof workflows.run>> | undefined;
    const notify = () => aws.handler('failure-notifier')(executionStatusChangeEvent(run!, PRIMARY, LOCAL_ACCOUNT_ID) as never);
    try {
      // A Lambda's client (the impaired-region profile: 3 attempts): each attempt refused, retried as transient.
      expectNetworkError(await failureOf(awsClients.rds(PRIMARY, true).send(new DescribeDBInstancesCommand({}))), 3);
      expectNetworkError(await failureOf(awsClients.ssm(PRIMARY, true).send(new GetParameterCommand({ Name: '/outage/probe' }))), 3);
      // A workflow's aws-sdk task in the primary region fails with the connection error in its cause.
      run = await workflows.run(describeTask(PRIMARY), {});
      expect(run.status).toBe('FAILED');
      expect(run.cause).toMatch(/ECONNREFUSED/);
      // The alerting: the failure notifier publishes to the alert topic, which is in the primary region.
      expect(await failureOf(notify())).toMatchObject({ code: 'ECONNREFUSED' });
      // The CLI's clients (Step Functions here; `status` reads RDS, S3 and SSM through the same awsClients).
      expect(await failureOf(new SfnExecutions(PRIMARY, aws.moto.endpoint).findStateMachineArn('rds-dr-backup'))).toMatchObject({ code: 'ECONNREFUSED' });

      // The DR region works, for the same kinds of clients.
      expect((await awsClients.rds(DR, true).send(new DescribeDBInstancesCommand({}))).DBInstances).toEqual([]);
      expect(await new SfnExecutions(DR, aws.moto.endpoint).findStateMachineArn('rds-dr-failover')).toBeUndefined();
      // The test's own eyes are not in the outage: the primary's parameter is still there.
      expect((await new SSMClient(motoClientConfig(aws.moto, PRIMARY)).send(new GetParameterCommand({ Name: '/outage/probe' }))).Parameter?.Value).toBe('primary');

      // Every attempt went into the outage and only there: 3 RDS + 3 SSM, the task's, the CLI's.
      expect(new Set(outage.attempts.map((a) => a.region))).toEqual(new Set([PRIMARY]));
      expect(outage.attempts.filter((a) => a.command === 'DescribeDBInstancesCommand').length).toBeGreaterThanOrEqual(4);
      expect(outage.attempts.filter((a) => a.client === 'SFNClient').length).toBeGreaterThan(0);
      expect(outage.attempts.filter((a) => a.command === 'PublishCommand').length).toBeGreaterThan(0);
    } finally {
      await outage.end();
    }
    // The alert sent during the outage was lost (SNS never had it); sent again, it is delivered.
    expect(await aws.receiveAlerts()).toEqual([]);
    await notify();
    expect((await aws.receiveAlerts()).map((a) => a.message).join('\n')).toContain(run!.executionArn);
    expect(regionOutages.isDown(PRIMARY)).toBe(false);
    expect((await awsClients.ssm(PRIMARY, true).send(new GetParameterCommand({ Name: '/outage/probe' }))).Parameter?.Value).toBe('primary');
    expect((await workflows.run(describeTask(PRIMARY), {})).status).toBe('SUCCEEDED');
    expect(await new SfnExecutions(PRIMARY, aws.moto.endpoint).findStateMachineArn('rds-dr-backup')).toBeUndefined();
  }, 60_000);

  it('an unresponsive region holds each attempt until the client gives up (requestTimeout), then answers again', async () => {
    // A client with tiny timeouts, carrying the board as every local client does.
    const client = new RDSClient({ region: PRIMARY, maxAttempts: 2, requestHandler: { connectionTimeout: 300, requestTimeout: 300, throwOnRequestTimeout: true } });
    regionOutages.install(client);
    const outage = await aws.regionOutage(PRIMARY, 'unresponsive');
    let err: SdkFailure | undefined;
    try {
      err = await failureOf(client.send(new DescribeDBInstancesCommand({})));
    } finally {
      await outage.end();
    }
    expect(err?.name).toBe('TimeoutError');
    expect(err?.$metadata?.httpStatusCode).toBeUndefined();
    expect(err?.$metadata?.attempts).toBe(2);
    expect(outage.attempts).toHaveLength(2);
    expect((await client.send(new DescribeDBInstancesCommand({}))).DBInstances).toEqual([]);
  }, 30_000);

  it('refuses a second outage of a region that is already down', async () => {
    const outage = await aws.regionOutage(DR);
    try {
      await expect(aws.regionOutage(DR)).rejects.toThrow(/already down/);
    } finally {
      await outage.end();
    }
  });
});
