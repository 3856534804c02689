// Step Functions executions for the rds-dr CLI: find a state machine, start it, follow it. In one
// region, optionally at a local endpoint (the tests' local Step Functions).
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  paginateListStateMachines,
  type SFNClient,
  type HistoryEvent,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { awsClients } from './clients.js';

export type { HistoryEvent };

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface ExecutionDescription {
  status: ExecutionStatus;
  startDate: Date;
  stopDate?: Date;
  output?: string;
  error?: string;
  cause?: string;
}

/** The small slice of Step Functions the CLI needs; SfnExecutions below is the SDK adapter. */
export interface ExecutionGateway {
  findStateMachineArn(name: string): Promise<string | undefined>;
  start(stateMachineArn: string, input: string, name?: string): Promise<{ executionArn: string }>;
  describe(executionArn: string): Promise<ExecutionDescription>;
  /** History events after `nextToken`, oldest first. */
  history(executionArn: string, nextToken?: string): Promise<{ events: HistoryEvent[]; nextToken?: string }>;
}


export class SfnExecutions implements ExecutionGateway {
  private readonly client: SFNClient;

  constructor(region: string, endpoint?: string) {
    // Throttling on Describe/GetExecutionHistory is retried by the SDK (adaptive retries).
    this.client = awsClients.sfn(region, endpoint);
  }

  async findStateMachineArn(name: string): Promise<string | undefined> {
    for await (const page of paginateListStateMachines({ client: this.client }, {})) {
      const found = page.stateMachines?.find((m) => m.name === name);
      if (found) return found.stateMachineArn;
    }
    return undefined;
  }

  async start(stateMachineArn: string, input: string, name?: string): Promise<{ executionArn: string }> {
    const out = await this.client.send(new StartExecutionCommand({ stateMachineArn, input, name }));
    return { executionArn: out.executionArn ?? '' };
  }

  async describe(executionArn: string): Promise<ExecutionDescription> {
    const out = await this.client.send(new DescribeExecutionCommand({ executionArn }));
    return {
      status: (out.status ?? 'RUNNING') as ExecutionStatus,
      startDate: out.startDate ?? new Date(),
      stopDate: out.stopDate,
      output: out.output,
      error: out.error,
      cause: out.cause,
    };
  }

  async history(executionArn: string, nextToken?: string) {
    const out = await this.client.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    return { events: out.events ?? [], nextToken: out.nextToken };
  }
}
