// EndpointGateway over Route 53 and SSM; the primary region's SSM client gives up fast.
import { ChangeResourceRecordSetsCommand, ListResourceRecordSetsCommand } from '@aws-sdk/client-route-53';
import { GetParameterCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import { awsClients } from './clients.js';
import { sameDnsName, type EndpointGateway } from '../core/endpoint-cutover.js';
import { isUnreachable } from './unreachable.js';

export class AwsEndpointGateway implements EndpointGateway {
  constructor(private readonly primaryRegion: string) {}

  private ssm(region: string) {
    return awsClients.ssm(region, region === this.primaryRegion);
  }

  async readCname(hostedZoneId: string, recordName: string): Promise<string | undefined> {
    const out = await awsClients
      .route53()
      .send(new ListResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, StartRecordName: recordName, StartRecordType: 'CNAME', MaxItems: 1 }));
    const rr = out.ResourceRecordSets?.find((r) => r.Type === 'CNAME' && sameDnsName(r.Name, recordName));
    return rr?.ResourceRecords?.[0]?.Value;
  }

  async upsertCname(hostedZoneId: string, recordName: string, ttl: number, value: string): Promise<void> {
    await awsClients.route53().send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: hostedZoneId,
        ChangeBatch: {
          Comment: 'rds-dr cutover',
          Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: recordName, Type: 'CNAME', TTL: ttl, ResourceRecords: [{ Value: value }] } }],
        },
      }),
    );
  }

  async readParameter(region: string, name: string): Promise<string | undefined> {
    try {
      return (await this.ssm(region).send(new GetParameterCommand({ Name: name }))).Parameter?.Value;
    } catch (err) {
      if ((err as Error).name === 'ParameterNotFound') return undefined;
      throw err;
    }
  }

  isUnreachable(err: unknown): boolean {
    return isUnreachable(err);
  }

  async putParameter(region: string, name: string, value: string): Promise<void> {
    await this.ssm(region).send(new PutParameterCommand({ Name: name, Value: value, Type: 'String', Overwrite: true, Description: 'writer endpoint (rds-dr cutover)' }));
  }
}
