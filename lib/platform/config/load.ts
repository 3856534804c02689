import { readFileSync } from 'node:fs';
import { ConfigError, parseConfig, type RdsDrConfig } from './schema.js';

/** Reads and validates a config file; any problem becomes a ConfigError naming the file and field. */
export function loadConfigFile(path: string): RdsDrConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new ConfigError(path, [`cannot read JSON: ${(err as Error).message}`]);
  }
  return parseConfig(raw, path);
}
