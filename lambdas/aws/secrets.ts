// Secrets Manager: the RDS-managed master password of a restored database.
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { awsClients, regionOfArn } from './clients.js';

/** The secret's JSON value; read in the secret's own region (where the restored database is). */
export async function readSecretJson<T>(secretArn: string): Promise<Partial<T>> {
  const secret = await awsClients.secrets(regionOfArn(secretArn)).send(new GetSecretValueCommand({ SecretId: secretArn }));
  return JSON.parse(secret.SecretString ?? '{}') as Partial<T>;
}
