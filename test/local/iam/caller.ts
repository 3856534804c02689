// Who makes an SDK call in the local AWS. Lambdas run in-process, so the caller travels with the
// async context: LocalStack runs each handler invocation as its Lambda, and each aws-sdk task as
// its workflow's state machine. Test code (setup, assertions) runs as nobody and is not evaluated.
import { AsyncLocalStorage } from 'node:async_hooks';

export type Caller = { kind: 'lambda'; name: string; region: string; workflow?: string } | { kind: 'state-machine'; workflow: string; region: string };

const callers = new AsyncLocalStorage<Caller>();
/**
 * The workflow running and its deployment's region: a Lambda deployed in both stacks, or by two
 * workflows of one stack (each its own function and role), runs as the one that workflow invokes.
 * Without a workflow: a Lambda an event rule or schedule invokes in that region.
 */
const deployments = new AsyncLocalStorage<{ region: string; workflow?: string }>();

export const currentCaller = (): Caller | undefined => callers.getStore();
export const currentDeployment = (): { region: string; workflow?: string } | undefined => deployments.getStore();
export const runAs = <T>(caller: Caller, fn: () => T): T => callers.run(caller, fn);
export const inDeployment = <T>(region: string, workflow: string | undefined, fn: () => T): T => deployments.run({ region, workflow }, fn);
/** Test code that runs inside a Lambda's context (a wrapped handler's own calls) runs as nobody. */
export const asNobody = <T>(fn: () => T): T => callers.exit(fn);

export const describeCaller = (c: Caller): string => (c.kind === 'lambda' ? `Lambda ${c.name} (${c.region}${c.workflow ? `, ${c.workflow} workflow` : ''})` : `state machine of workflow ${c.workflow} (${c.region})`);
