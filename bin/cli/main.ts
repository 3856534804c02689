// `npx rds-dr <command>`: status, or start an incident workflow and follow it state by state.
import { loadConfigFile } from '../../lib/platform/config/load.js';
import { buildStartCommand, configPathOf, USAGE, UsageError } from './commands.js';
import { followExecution } from './follow.js';
import { SfnExecutions, type ExecutionGateway } from '../../lambdas/aws/step-functions.js';
import { main as statusMain } from './status.js';

export interface CliIo {
  write: (line: string) => void;
  /** Builds the Step Functions gateway for a region (tests point it at a local endpoint). */
  gateway?: (region: string, endpoint?: string) => ExecutionGateway;
  pollMs?: number;
}

const defaultIo: CliIo = { write: (line) => console.log(line) };

/** Returns the process exit code: 0 success, 1 the workflow did not succeed (or an objective is breached), 2 usage. */
export async function main(argv: string[], io: CliIo = defaultIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'status') return statusMain(argv);
  if (!command || command === '--help' || command === 'help') {
    io.write(USAGE);
    return command ? 0 : 2;
  }
  try {
    const config = loadConfigFile(configPathOf(rest));
    const start = buildStartCommand(command, rest, config);
    const gateway = (io.gateway ?? ((region, ep) => new SfnExecutions(region, ep)))(start.region, start.endpoint);
    const stateMachineArn = await gateway.findStateMachineArn(start.stateMachineName);
    if (!stateMachineArn) {
      io.write(`no state machine "${start.stateMachineName}" in ${start.region}: is the ${config.appName} stack deployed there?`);
      return 2;
    }
    const input = JSON.stringify(start.input);
    io.write(`starting ${start.stateMachineName} in ${start.region} with input ${input}`);
    const { executionArn } = await gateway.start(stateMachineArn, input, start.executionName);
    io.write(`execution ${executionArn}`);
    io.write(`console: https://${start.region}.console.aws.amazon.com/states/home?region=${start.region}#/v2/executions/details/${executionArn}`);
    if (!start.follow) return 0;
    const final = await followExecution(gateway, executionArn, { write: io.write, pollMs: io.pollMs });
    return final.status === 'SUCCEEDED' ? 0 : 1;
  } catch (err) {
    if (err instanceof UsageError) {
      io.write(err.message);
      return 2;
    }
    throw err;
  }
}
