// The local AWS refuses what RDS refuses, where moto does not (test/local/fidelity.ts).
import { CreateDBInstanceCommand, DescribeDBInstanceAutomatedBackupsCommand, RDSClient } from '@aws-sdk/client-rds';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enforceRdsContracts, tagProblem } from './fidelity.js';
import { motoClientConfig, startMoto, type Moto } from './moto.js';

describe('RDS contracts the local AWS enforces', () => {
  let moto: Moto;
  let rds: RDSClient;
  beforeAll(async () => {
    moto = await startMoto();
    rds = new RDSClient(motoClientConfig(moto, 'us-west-2'));
    enforceRdsContracts([rds]);
  });
  afterAll(async () => moto?.stop());

  it('refuses tag values with characters RDS does not allow, as InvalidParameterValue, before moto sees them', async () => {
    expect(tagProblem([{ Key: 'rds-dr:reason', Value: 'INC-42 bad migration' }])).toBeUndefined();
    expect(tagProblem([{ Key: 'rds-dr:reason', Value: 'INC-42, bad migration' }])).toMatch(/rds-dr:reason/);
    expect(tagProblem([{ Key: 'aws:x', Value: 'v' }])).toMatch(/aws:x/);
    const create = (value: string) =>
      rds.send(new CreateDBInstanceCommand({ DBInstanceIdentifier: `t${value.length}`, Engine: 'postgres', DBInstanceClass: 'db.t4g.micro', AllocatedStorage: 20, MasterUsername: 'u', MasterUserPassword: 'password123', Tags: [{ Key: 'why', Value: value }] }));
    await expect(create('INC-42, bad migration')).rejects.toMatchObject({ name: 'InvalidParameterValue' });
    await expect(create('INC-42 bad migration')).resolves.toBeDefined();
  });

  it('answers DescribeDBInstanceAutomatedBackups for an identifier that names no instance here with an error, as RDS does', async () => {
    await expect(rds.send(new DescribeDBInstanceAutomatedBackupsCommand({ DBInstanceIdentifier: 'orders' }))).rejects.toMatchObject({ name: 'DBInstanceNotFoundFault' });
    await expect(rds.send(new DescribeDBInstanceAutomatedBackupsCommand({}))).resolves.toBeDefined();
  });
});
