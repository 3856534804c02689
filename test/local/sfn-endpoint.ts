// A local Step Functions endpoint (AWS JSON 1.0 protocol) for the CLI: ListStateMachines,
// StartExecution, DescribeExecution and GetExecutionHistory over the local runner. The CLI's real
// SDK adapter talks to it unchanged, so `rds-dr failover ...` is tested end to end against moto.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EventLog, WorkflowRun } from './workflow-runner.js';

export type WorkflowStarter = (input: unknown, executionName: string) => Promise<WorkflowRun>;

interface Execution {
  arn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  startDate: number;
  run?: WorkflowRun;
  crashed?: Error;
  events: Record<string, unknown>[];
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();

/** Maps a local runner event to the HistoryEvent shape of GetExecutionHistory (timestamps in epoch seconds). */
export function toHistoryEvent(event: EventLog, id: number): Record<string, unknown> | undefined {
  const base = { id, previousEventId: id - 1, timestamp: event.timestamp / 1000 };
  const json = (v: unknown) => JSON.stringify(v ?? null);
  switch (event.type) {
    case 'ExecutionStarted':
      return { ...base, type: 'ExecutionStarted', executionStartedEventDetails: { input: json(event.input) } };
    case 'ExecutionSucceeded':
      return { ...base, type: 'ExecutionSucceeded', executionSucceededEventDetails: { output: json(event.output) } };
    case 'ExecutionFailed':
      return { ...base, type: 'ExecutionFailed', executionFailedEventDetails: { error: event.Error, cause: String(event.Cause ?? '') } };
    case 'ExecutionAborted':
      return { ...base, type: 'ExecutionAborted' };
    case 'ExecutionTimeout':
      return { ...base, type: 'ExecutionTimedOut' };
    case 'StateEntered':
      return { ...base, type: `${pascal(event.state.type)}StateEntered`, stateEnteredEventDetails: { name: event.state.name, input: json(event.state.input) } };
    case 'StateExited':
      return { ...base, type: `${pascal(event.state.type)}StateExited`, stateExitedEventDetails: { name: event.state.name, output: json(event.state.output) } };
    case 'StateFailed':
      // Step Functions reports a failed Lambda task as LambdaFunctionFailed / TaskFailed.
      return event.state.type === 'Task' ? { ...base, type: 'TaskFailed', taskFailedEventDetails: { error: event.Error, cause: String(event.Cause ?? '') } } : undefined;
    case 'MapIterationStarted':
    case 'MapIterationSucceeded':
      return { ...base, type: event.type, [`${event.type.charAt(0).toLowerCase()}${event.type.slice(1)}EventDetails`]: { name: event.parentState.name, index: event.index } };
    case 'MapIterationFailed':
      return { ...base, type: event.type, mapIterationFailedEventDetails: { name: event.parentState.name, index: event.index } };
    default:
      return undefined;
  }
}

export class LocalSfnEndpoint {
  private readonly executions = new Map<string, Execution>();
  private readonly machines = new Map<string, { name: string; start: WorkflowStarter }>();
  private server?: Server;
  endpoint = '';

  constructor(
    private readonly region: string,
    private readonly accountId: string,
  ) {}

  /** Makes `name` startable; `start` runs one execution (e.g. LocalStack.runVerify). */
  register(name: string, start: WorkflowStarter): void {
    this.machines.set(`arn:aws:states:${this.region}:${this.accountId}:stateMachine:${name}`, { name, start });
  }

  /** Feed LocalStack.onWorkflowEvent into this. */
  readonly onEvent = (executionArn: string, event: EventLog): void => {
    const execution = this.executions.get(executionArn);
    if (!execution) return;
    const history = toHistoryEvent(event, execution.events.length + 1);
    if (history) execution.events.push(history);
  };

  /** Resolves when every started execution has stopped. */
  async settled(): Promise<void> {
    while ([...this.executions.values()].some((e) => !e.run && !e.crashed)) await new Promise((r) => setTimeout(r, 20));
  }

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
        const reply = (status: number, payload: unknown) => {
          res.writeHead(status, { 'content-type': 'application/x-amz-json-1.0' });
          res.end(JSON.stringify(payload));
        };
        try {
          reply(200, this.handle(operation, JSON.parse(body || '{}')));
        } catch (err) {
          const e = err as Error & { type?: string };
          reply(400, { __type: e.type ?? 'InvalidArn', message: e.message });
        }
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.endpoint = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.endpoint;
  }

  async stop(): Promise<void> {
    await this.settled();
    await new Promise((r) => this.server?.close(r));
  }

  private handle(operation: string, body: Record<string, string | number | undefined>): unknown {
    const missing = (type: string, message: string) => Object.assign(new Error(message), { type });
    switch (operation) {
      case 'ListStateMachines':
        return { stateMachines: [...this.machines.entries()].map(([arn, m]) => ({ stateMachineArn: arn, name: m.name, type: 'STANDARD', creationDate: 0 })) };
      case 'StartExecution': {
        const machine = this.machines.get(String(body.stateMachineArn));
        if (!machine) throw missing('StateMachineDoesNotExist', `State Machine Does Not Exist: '${body.stateMachineArn}'`);
        const name = String(body.name ?? `local-${Date.now()}`);
        const arn = `arn:aws:states:${this.region}:${this.accountId}:execution:${machine.name}:${name}`;
        const existing = this.executions.get(arn);
        if (existing) {
          // Step Functions: the same name with the same input is idempotent; different input is an error.
          if (existing.input !== body.input) throw missing('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
          return { executionArn: arn, startDate: existing.startDate / 1000 };
        }
        const execution: Execution = { arn, stateMachineArn: String(body.stateMachineArn), name, input: String(body.input ?? '{}'), startDate: Date.now(), events: [] };
        this.executions.set(arn, execution);
        machine.start(JSON.parse(execution.input), name).then(
          (run) => (execution.run = run),
          (err: Error) => (execution.crashed = err),
        );
        return { executionArn: arn, startDate: execution.startDate / 1000 };
      }
      case 'DescribeExecution': {
        const e = this.executions.get(String(body.executionArn));
        if (!e) throw missing('ExecutionDoesNotExist', `Execution Does Not Exist: '${body.executionArn}'`);
        const status = e.crashed ? 'FAILED' : (e.run?.status ?? 'RUNNING');
        return {
          executionArn: e.arn, stateMachineArn: e.stateMachineArn, name: e.name, status, startDate: e.startDate / 1000,
          ...(e.run ? { stopDate: e.run.stopDate / 1000 } : {}),
          input: e.input,
          ...(e.run?.output !== undefined ? { output: JSON.stringify(e.run.output) } : {}),
          ...(e.run?.error ? { error: e.run.error, cause: e.run.cause } : {}),
          ...(e.crashed ? { error: 'LocalRunnerCrashed', cause: e.crashed.message } : {}),
        };
      }
      case 'GetExecutionHistory': {
        const e = this.executions.get(String(body.executionArn));
        if (!e) throw missing('ExecutionDoesNotExist', `Execution Does Not Exist: '${body.executionArn}'`);
        const from = Number(body.nextToken ?? 0);
        const size = Number(body.maxResults ?? 100);
        const events = e.events.slice(from, from + size);
        return { events, ...(from + size < e.events.length ? { nextToken: String(from + size) } : {}) };
      }
      default:
        throw missing('UnknownOperationException', `operation ${operation} is not implemented locally`);
    }
  }
}
