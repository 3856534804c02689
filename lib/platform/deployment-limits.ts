// Limits a deployment hits only at `cdk deploy` (or later), checked on the synthesized templates so
// that `cdk synth` fails naming what crosses them. A CDK policy-validation plugin, like cdk-nag.
// - CloudFormation: a template body of at most 1 MB (uploaded to S3), at most 500 resources per stack
//   ("CloudFormation quotas", AWS CloudFormation User Guide). CDK itself only warns past 1 MB.
// - Lambda: "the total size of all environment variables doesn't exceed 4 KB" ("Lambda quotas",
//   AWS Lambda Developer Guide); over it CreateFunction/UpdateFunctionConfiguration fail.
import { readFileSync } from 'node:fs';
import type { IPolicyValidationContext, IPolicyValidationPlugin, PolicyValidationPluginReport, PolicyViolation } from 'aws-cdk-lib';

export const MAX_TEMPLATE_BYTES = 1_000_000;
export const MAX_STACK_RESOURCES = 500;
export const MAX_LAMBDA_ENVIRONMENT_BYTES = 4096;

/**
 * What a value deploys as, in bytes. CloudFormation fills in references at deploy time: each counts
 * as 64 bytes, more than an account id or a generated name takes.
 */
function deployedBytes(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (value && typeof value === 'object') {
    const join = (value as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    if (join) return join[1].reduce<number>((n, part) => n + deployedBytes(part), 0) + Buffer.byteLength(join[0], 'utf8') * Math.max(0, join[1].length - 1);
    return 64;
  }
  return String(value ?? '').length;
}

/** Every violation in one synthesized template. */
export function templateViolations(templatePath: string, text: string): PolicyViolation[] {
  const template = JSON.parse(text) as { Resources?: Record<string, { Type: string; Properties?: { Environment?: { Variables?: Record<string, unknown> } } }> };
  const resources = Object.entries(template.Resources ?? {});
  const violations: PolicyViolation[] = [];
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_TEMPLATE_BYTES) {
    violations.push({
      ruleName: 'CloudFormationTemplateSize',
      description: `template is ${bytes} bytes; CloudFormation accepts at most ${MAX_TEMPLATE_BYTES}`,
      fix: 'split the config across deployments (fewer policies, drilled or incident databases per app)',
      violatingResources: [{ locations: ['(template)'], templatePath }],
      severity: 'error',
    });
  }
  if (resources.length > MAX_STACK_RESOURCES) {
    violations.push({
      ruleName: 'CloudFormationResourceCount',
      description: `stack has ${resources.length} resources; CloudFormation allows at most ${MAX_STACK_RESOURCES}`,
      fix: 'split the config across deployments',
      violatingResources: [{ locations: ['(template)'], templatePath }],
      severity: 'error',
    });
  }
  for (const [logicalId, resource] of resources) {
    if (resource.Type !== 'AWS::Lambda::Function') continue;
    const variables = resource.Properties?.Environment?.Variables ?? {};
    const size = Object.entries(variables).reduce((n, [k, v]) => n + Buffer.byteLength(k, 'utf8') + deployedBytes(v), 0);
    if (size > MAX_LAMBDA_ENVIRONMENT_BYTES) {
      violations.push({
        ruleName: 'LambdaEnvironmentSize',
        description: `function ${logicalId} has about ${size} bytes of environment variables; Lambda allows ${MAX_LAMBDA_ENVIRONMENT_BYTES} in total`,
        fix: 'keep only deploy-time references in the environment; values known at synth belong in the bundled settings (lib/platform/function-settings.ts)',
        violatingResources: [{ resourceLogicalId: logicalId, locations: ['Properties.Environment.Variables'], templatePath }],
        severity: 'error',
      });
    }
  }
  return violations;
}

export class DeploymentLimits implements IPolicyValidationPlugin {
  readonly name = 'rds-dr-deployment-limits';
  readonly ruleIds = ['CloudFormationTemplateSize', 'CloudFormationResourceCount', 'LambdaEnvironmentSize'];

  validate(context: IPolicyValidationContext): PolicyValidationPluginReport {
    const violations = context.templatePaths.flatMap((path) => templateViolations(path, readFileSync(path, 'utf8')));
    return { success: violations.length === 0, violations };
  }
}
