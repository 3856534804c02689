// The policies AWS would evaluate for rds-dr's calls, read from the synthesized templates: each
// Lambda's and state machine's role policies, and the resource policies of KMS keys (key policy),
// SNS topics (AWS::SNS::TopicPolicy) and S3 buckets (AWS::S3::BucketPolicy). CloudFormation
// intrinsics are resolved to the names and ARNs the local AWS uses.
import { LAMBDAS, WORKFLOWS, stateMachineName, type LambdaName, type WorkflowName } from '../../../lib/platform/registry.js';
import { LOCAL_STACK_UUID } from '../moto.js';
import type { SynthesizedStacks, Template } from './synth.js';

export type PolicyDocument = { Version?: string; Statement: Record<string, unknown>[] };

export interface Principal {
  /** `lambda:<name>@<region>` or `states:<workflow>@<region>`. */
  id: string;
  roleArn: string;
  policies: { name: string; policy: PolicyDocument }[];
}

export interface PolicySet {
  account: string;
  principals: Record<string, Principal>;
  /** Resource policies by the ARN they are attached to (key ARN, topic ARN, bucket ARN). */
  resourcePolicies: Record<string, PolicyDocument>;
  /** The KMS key a topic (by ARN) or bucket (by name) encrypts with, as deployed. */
  topicKeys: Record<string, string>;
  bucketKeys: Record<string, string>;
  /** DynamoDB tables of the templates by name, as declared (the local AWS creates them so); the primary region's where both stacks have one. */
  tables: Record<string, TableDefinition>;
  /** SNS topics of the templates by ARN, with their region and name (the local AWS creates them so). */
  topics: Record<string, { region: string; name: string }>;
  /** Every region's tables, by `<name>@<region>` (table names are per region: both stacks have the coordination table). */
  regionalTables: Record<string, TableDefinition>;
  /** Aliases of every key in the templates (kms:ResourceAliases). */
  keyAliases: Record<string, string[]>;
  /** Region a Lambda runs in when no workflow run names one (the primary stack's, if both have it). */
  lambdaHomeRegions: Partial<Record<LambdaName, string>>;
  /** CloudWatch alarms of the templates, with their region (test/local/alarms.ts evaluates them). */
  alarms: AlarmDefinition[];
}

/** An AWS::CloudWatch::Alarm as the template declares it (topic ARNs resolved), and its region. */
export interface AlarmDefinition {
  region: string;
  AlarmName: string;
  AlarmDescription?: string;
  Metrics?: { Id?: string; Expression?: string; Period?: number; ReturnData?: boolean }[];
  Threshold: number;
  ComparisonOperator: string;
  EvaluationPeriods: number;
  DatapointsToAlarm?: number;
  TreatMissingData?: string;
  AlarmActions?: string[];
}

/** An AWS::DynamoDB::Table as the template declares it, in CreateTable's terms. */
export interface TableDefinition {
  region: string;
  KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  AttributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  BillingMode?: 'PAY_PER_REQUEST' | 'PROVISIONED';
  TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
}

/** `workflow`: the function that workflow's state machine invokes, when two workflows of a stack each deploy one. */
export const lambdaPrincipal = (name: string, region: string, workflow?: string) => `lambda:${name}@${region}${workflow ? `/${workflow}` : ''}`;
export const stateMachinePrincipal = (workflow: string, region: string) => `states:${workflow}@${region}`;

export interface LocalValues {
  account: string;
  appName: string;
  primaryRegion: string;
  /** The DR snapshot key moto made, and its alias: the template's key with that alias is this key. */
  drKeyArn: string;
  drKeyAlias: string;
  /** The restored-DB security group the local drill network created. */
  restoredDbSecurityGroupId?: string;
}

type Resource = Template['Resources'][string];

/** Resolves Ref/Fn::GetAtt/Fn::Join/Fn::Sub/… in one stack to local values. */
class Resolver {
  constructor(
    private readonly resources: Template['Resources'],
    private readonly region: string,
    private readonly local: LocalValues,
  ) {}

  private lambdaNameOfRole(roleId: string): string | undefined {
    const description = String(this.resources[roleId]?.Properties?.Description ?? '');
    // createRdsDrFunction (lib/platform/rds-dr-function.ts) describes each role as `rds-dr <name> Lambda`.
    return /^rds-dr (\S+) Lambda$/.exec(description)?.[1];
  }

  keyArn(id: string): string {
    const aliases = this.aliasesOf(id);
    if (aliases.includes(this.local.drKeyAlias)) return this.local.drKeyArn;
    // Keys moto does not have (topic and report keys): a stable ARN naming the template's key.
    return `arn:aws:kms:${this.region}:${this.local.account}:key/${id}`;
  }

  aliasesOf(keyId: string): string[] {
    return Object.values(this.resources)
      .filter((r) => r.Type === 'AWS::KMS::Alias' && JSON.stringify(r.Properties?.TargetKeyId).includes(`"${keyId}"`))
      .map((r) => String(r.Properties?.AliasName));
  }

  private ref(id: string): string {
    const pseudo: Record<string, string> = {
      'AWS::AccountId': this.local.account,
      'AWS::Region': this.region,
      'AWS::Partition': 'aws',
      'AWS::URLSuffix': 'amazonaws.com',
      'AWS::StackName': `${this.local.appName}-${this.region}`,
      'AWS::StackId': `arn:aws:cloudformation:${this.region}:${this.local.account}:stack/${this.local.appName}-${this.region}/${LOCAL_STACK_UUID}`,
    };
    if (id in pseudo) return pseudo[id];
    const r = this.resources[id];
    if (!r) throw new Error(`IAM simulation: Ref to unknown resource ${id}`);
    const p = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::SNS::Topic':
        return `arn:aws:sns:${this.region}:${this.local.account}:${p.TopicName ?? id}`;
      case 'AWS::S3::Bucket':
        return p.BucketName ? String(this.resolve(p.BucketName)) : id.toLowerCase();
      case 'AWS::StepFunctions::StateMachine':
        return `arn:aws:states:${this.region}:${this.local.account}:stateMachine:${p.StateMachineName ?? id}`;
      case 'AWS::RDS::DBSubnetGroup':
        return String(p.DBSubnetGroupName ?? id);
      case 'AWS::KMS::Key':
        return this.keyArn(id).split('/').pop()!;
      case 'AWS::DynamoDB::Table':
        return p.TableName ? String(this.resolve(p.TableName)) : id;
      default:
        return id;
    }
  }

  private getAtt(id: string, attr: string): string {
    const r = this.resources[id];
    if (!r) throw new Error(`IAM simulation: Fn::GetAtt of unknown resource ${id}`);
    const { account } = this.local;
    switch (`${r.Type}.${attr}`) {
      case 'AWS::KMS::Key.Arn':
        return this.keyArn(id);
      case 'AWS::S3::Bucket.Arn':
        return `arn:aws:s3:::${this.ref(id)}`;
      case 'AWS::Lambda::Function.Arn': {
        // The local runner names each function by its registry name (test/local/local-stack.ts).
        const roleId = ((r.Properties?.Role as { 'Fn::GetAtt': string[] })['Fn::GetAtt'] ?? [])[0];
        return `arn:aws:lambda:${this.region}:${account}:function:${this.lambdaNameOfRole(roleId) ?? id}`;
      }
      case 'AWS::IAM::Role.Arn':
        return `arn:aws:iam::${account}:role/${id}`;
      case 'AWS::Logs::LogGroup.Arn':
        return `arn:aws:logs:${this.region}:${account}:log-group:${id}:*`;
      case 'AWS::DynamoDB::Table.Arn':
        return `arn:aws:dynamodb:${this.region}:${account}:table/${this.ref(id)}`;
      case 'AWS::SQS::Queue.Arn':
        return `arn:aws:sqs:${this.region}:${account}:${id}`;
      case 'AWS::SNS::Topic.TopicArn':
        return this.ref(id);
      case 'AWS::EC2::SecurityGroup.GroupId':
        return /RestoredDbSecurityGroup/.test(id) && this.local.restoredDbSecurityGroupId ? this.local.restoredDbSecurityGroupId : `sg-${id}`;
      default:
        return `arn:local:${id}.${attr}`;
    }
  }

  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (!value || typeof value !== 'object') return value;
    const o = value as Record<string, unknown>;
    const [fn] = Object.keys(o);
    if (Object.keys(o).length === 1) {
      const arg = o[fn] as never;
      switch (fn) {
        case 'Ref':
          return this.ref(arg);
        case 'Fn::GetAtt': {
          const [id, attr] = typeof arg === 'string' ? (arg as string).split('.') : (arg as string[]);
          return this.getAtt(id, attr);
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown[]];
          return (this.resolve(parts) as unknown[]).join(sep);
        }
        case 'Fn::Select': {
          const [index, list] = arg as [number, unknown];
          return (this.resolve(list) as unknown[])[Number(index)];
        }
        case 'Fn::Split': {
          const [sep, text] = arg as [string, unknown];
          return String(this.resolve(text)).split(sep);
        }
        case 'Fn::GetAZs':
          return ['a', 'b', 'c'].map((z) => `${this.region}${z}`);
        case 'Fn::Sub': {
          const [text, vars] = (typeof arg === 'string' ? [arg, {}] : arg) as [string, Record<string, unknown>];
          return text.replace(/\$\{([^}]+)\}/g, (_, name: string) => {
            if (name in vars) return String(this.resolve(vars[name]));
            return name.includes('.') ? this.getAtt(...(name.split('.') as [string, string])) : this.ref(name);
          });
        }
      }
    }
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, this.resolve(v)]));
  }

  lambdaName(roleId: string): string | undefined {
    return this.lambdaNameOfRole(roleId);
  }
}

/** Every principal's identity policies and every resource policy, for the local AWS's names. */
export function extractPolicies(synth: SynthesizedStacks, local: LocalValues): PolicySet {
  const set: PolicySet = {
    account: local.account,
    principals: {},
    resourcePolicies: {},
    topicKeys: {},
    bucketKeys: {},
    tables: {},
    topics: {},
    regionalTables: {},
    keyAliases: {},
    lambdaHomeRegions: {},
    alarms: [],
  };
  const workflowByMachineName = new Map(Object.keys(WORKFLOWS).map((w) => [stateMachineName(local.appName, w as WorkflowName), w]));
  for (const { region, template } of synth.stacks) {
    const resources = template.Resources;
    const rs = new Resolver(resources, region, local);
    const entries = Object.entries(resources);
    const ofType = (type: string) => entries.filter(([, r]) => r.Type === type) as [string, Resource & { Properties: Record<string, unknown> }][];

    /** Inline policies of the role, AWS::IAM::Policy resources attached to it, customer managed policies in the template. */
    const policiesOfRole = (roleId: string): Principal['policies'] => {
      const role = resources[roleId].Properties ?? {};
      const inline = ((role.Policies ?? []) as { PolicyName: string; PolicyDocument: unknown }[]).map((p) => ({ name: p.PolicyName, policy: rs.resolve(p.PolicyDocument) as PolicyDocument }));
      const attached = ofType('AWS::IAM::Policy')
        .filter(([, p]) => JSON.stringify(p.Properties.Roles ?? []).includes(`{"Ref":"${roleId}"}`))
        .map(([id, p]) => ({ name: id, policy: rs.resolve(p.Properties.PolicyDocument) as PolicyDocument }));
      const managed = ofType('AWS::IAM::ManagedPolicy')
        .filter(([, p]) => JSON.stringify(p.Properties.Roles ?? []).includes(`{"Ref":"${roleId}"}`) || JSON.stringify(role.ManagedPolicyArns ?? []).includes(`"${roleId}"`))
        .map(([id, p]) => ({ name: id, policy: rs.resolve(p.Properties.PolicyDocument) as PolicyDocument }));
      // An AWS managed policy's text is not in the template: refuse rather than simulate without it.
      const external = ((role.ManagedPolicyArns ?? []) as unknown[]).filter((a) => typeof a !== 'object' || !JSON.stringify(a).includes('"Ref"'));
      if (external.length) throw new Error(`IAM simulation: role ${roleId} has AWS managed policies ${JSON.stringify(external)}; their text is not simulated`);
      return [...inline, ...attached, ...managed];
    };
    const roleIdOf = (roleRef: unknown): string => ((roleRef as { 'Fn::GetAtt': string[] })['Fn::GetAtt'] ?? [])[0];

    for (const [, fn] of ofType('AWS::Lambda::Function')) {
      const roleId = roleIdOf(fn.Properties.Role);
      const name = rs.lambdaName(roleId);
      if (!name || !(name in LAMBDAS)) continue; // CDK's own helper functions (none today)
      set.principals[lambdaPrincipal(name, region)] = { id: lambdaPrincipal(name, region), roleArn: `arn:aws:iam::${local.account}:role/${roleId}`, policies: policiesOfRole(roleId) };
      const home = set.lambdaHomeRegions[name as LambdaName];
      if (!home || region === local.primaryRegion) set.lambdaHomeRegions[name as LambdaName] = region;
    }
    for (const [, sm] of ofType('AWS::StepFunctions::StateMachine')) {
      const workflow = workflowByMachineName.get(String(sm.Properties.StateMachineName));
      if (!workflow) continue;
      const roleId = roleIdOf(sm.Properties.RoleArn);
      const id = stateMachinePrincipal(workflow, region);
      set.principals[id] = { id, roleArn: `arn:aws:iam::${local.account}:role/${roleId}`, policies: policiesOfRole(roleId) };
      // The functions it invokes: ${<Name>FunctionArn} substitutions (lib/platform/workflow-state-machine.ts).
      for (const [key, arn] of Object.entries((sm.Properties.DefinitionSubstitutions ?? {}) as Record<string, unknown>)) {
        const fnId = ((arn as { 'Fn::GetAtt'?: string[] })['Fn::GetAtt'] ?? [])[0];
        if (!key.endsWith('FunctionArn') || !fnId) continue;
        const fnRoleId = roleIdOf(resources[fnId]?.Properties?.Role);
        const name = rs.lambdaName(fnRoleId);
        if (!name) continue;
        const pid = lambdaPrincipal(name, region, workflow);
        set.principals[pid] = { id: pid, roleArn: `arn:aws:iam::${local.account}:role/${fnRoleId}`, policies: policiesOfRole(fnRoleId) };
      }
    }
    for (const [id, key] of ofType('AWS::KMS::Key')) {
      const arn = rs.keyArn(id);
      set.resourcePolicies[arn] = rs.resolve(key.Properties.KeyPolicy) as PolicyDocument;
      set.keyAliases[arn] = rs.aliasesOf(id);
    }
    for (const [, tp] of ofType('AWS::SNS::TopicPolicy')) {
      for (const topic of rs.resolve(tp.Properties.Topics) as string[]) set.resourcePolicies[topic] = rs.resolve(tp.Properties.PolicyDocument) as PolicyDocument;
    }
    for (const [id, topic] of ofType('AWS::SNS::Topic')) {
      const arn = rs.resolve({ Ref: id }) as string;
      set.topics[arn] = { region, name: arn.split(':').pop()! };
      if (topic.Properties.KmsMasterKeyId) set.topicKeys[rs.resolve({ Ref: id }) as string] = rs.resolve(topic.Properties.KmsMasterKeyId) as string;
    }
    for (const [, bp] of ofType('AWS::S3::BucketPolicy')) {
      set.resourcePolicies[`arn:aws:s3:::${rs.resolve(bp.Properties.Bucket)}`] = rs.resolve(bp.Properties.PolicyDocument) as PolicyDocument;
    }
    for (const [id, table] of ofType('AWS::DynamoDB::Table')) {
      const { KeySchema, AttributeDefinitions, BillingMode, TimeToLiveSpecification } = rs.resolve(table.Properties) as Omit<TableDefinition, 'region'>;
      const name = rs.resolve({ Ref: id }) as string;
      const declared = { region, KeySchema, AttributeDefinitions, BillingMode, TimeToLiveSpecification };
      set.regionalTables[`${name}@${region}`] = declared;
      if (!set.tables[name] || region === local.primaryRegion) set.tables[name] = declared;
    }
    for (const [, alarm] of ofType('AWS::CloudWatch::Alarm')) set.alarms.push({ ...(rs.resolve(alarm.Properties) as Omit<AlarmDefinition, 'region'>), region });
    for (const [id, bucket] of ofType('AWS::S3::Bucket')) {
      const rules = ((bucket.Properties.BucketEncryption as { ServerSideEncryptionConfiguration?: { ServerSideEncryptionByDefault?: { KMSMasterKeyID?: unknown } }[] })?.ServerSideEncryptionConfiguration ?? []);
      const key = rules.find((r) => r.ServerSideEncryptionByDefault?.KMSMasterKeyID)?.ServerSideEncryptionByDefault?.KMSMasterKeyID;
      if (key) set.bucketKeys[rs.resolve({ Ref: id }) as string] = rs.resolve(key) as string;
    }
  }
  return set;
}
