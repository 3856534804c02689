// The function factory the incident workflows (failover, failback) share: every function gets the
// config, an "rds-dr: " description, a 60 s default timeout and the DR stack's reports bucket; and the
// two incident steps both workflows run (endpoint cutover, timeline report), defined once.
import { Duration } from 'aws-cdk-lib';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { Construct } from 'constructs';
import type { RdsDrConfig } from './config/schema.js';
import { createRdsDrFunction, type RdsDrFunctionName } from './rds-dr-function.js';
import type { ReportsBucket } from './reports-bucket.js';

export type IncidentFunctionFactory = (id: string, name: RdsDrFunctionName, description: string, timeout?: Duration) => NodejsFunction;

export function incidentFunctionFactory(scope: Construct, config: RdsDrConfig, reports: ReportsBucket): IncidentFunctionFactory {
  const reportsBucket = reports.bucket.bucketName;
  return (id, name, description, timeout = Duration.seconds(60)) => createRdsDrFunction(scope, id, { name, config, description: `rds-dr: ${description}`, timeout, reportsBucket });
}

/** The endpoint cutover and the timeline report of an incident workflow (`what` names where the endpoint moves to). */
export function incidentStepFunctions(fn: IncidentFunctionFactory, workflow: 'failover' | 'failback', what: string): { cutoverEndpoint: NodejsFunction; incidentReport: NodejsFunction } {
  return {
    cutoverEndpoint: fn('CutoverEndpoint', 'cutover-endpoint', `points the writer endpoint (Route 53 CNAME, SSM parameter) at ${what}`, Duration.seconds(120)),
    incidentReport: fn('IncidentReport', 'incident-report', `writes the ${workflow === 'failover' ? 'incident' : 'failback'} timeline to S3 and a notice to the warnings topic`),
  };
}
