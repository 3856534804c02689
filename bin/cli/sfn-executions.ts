// The SDK adapter behind ExecutionGateway: Step Functions in one region (optionally at a local endpoint).
import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  paginateListStateMachines,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { ExecutionDescription, ExecutionGateway, ExecutionStatus } from './follow.js';

export class SfnExecutions implements ExecutionGateway {
  private readonly client: SFNClient;

  constructor(region: string, endpoint?: string) {
    // Throttling on Describe/GetExecutionHistory is retried by the SDK's standard retry mode.
    this.client = new SFNClient({ region, ...(endpoint ? { endpoint } : {}), maxAttempts: 6 });
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
