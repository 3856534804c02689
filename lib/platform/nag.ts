// cdk-nag v3 reports through CDK policy validation; a finding is silenced with
// Validations.of(construct).acknowledge(), which matches the exact finding id, e.g.
// "AwsSolutions-IAM5[Resource::arn:aws:rds:us-east-1:<AWS::AccountId>:snapshot:rdsdr-*]".
// Acknowledgements apply to the construct and everything below it, so they are placed on the
// narrowest construct that owns the finding (a role, a queue), never on a stack.
import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

export function acknowledgeRule(construct: IConstruct, id: string, reason: string): void {
  Validations.of(construct).acknowledge({ id, reason });
}

/** Acknowledges AwsSolutions-IAM5 for exactly these wildcard resource ARNs (and no others). */
export function acknowledgeWildcardResources(construct: IConstruct, resources: string[], reason: string): void {
  const findings = new Set(resources.map((arn) => `AwsSolutions-IAM5[Resource::${nagFlatten(Stack.of(construct).resolve(arn))}]`));
  for (const id of findings) acknowledgeRule(construct, id, reason);
}

/** Renders a resolved ARN the way cdk-nag names it in a finding: Ref -> <Name>, GetAtt -> <Res.Attr>. */
function nagFlatten(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (node && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    if (Array.isArray(obj['Fn::Join'])) {
      const [delimiter, items] = obj['Fn::Join'] as [string, unknown[]];
      return items.map(nagFlatten).join(delimiter);
    }
    if (typeof obj.Ref === 'string') return `<${obj.Ref}>`;
    if (Array.isArray(obj['Fn::GetAtt'])) {
      const [resource, attribute] = obj['Fn::GetAtt'] as [string, string];
      return `<${resource}.${attribute}>`;
    }
  }
  return JSON.stringify(node);
}
