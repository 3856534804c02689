// CDK entry point: `cdk synth -c config=path/to/config.json` (default config/example.json).
import { App } from 'aws-cdk-lib';
import { buildApp } from '../lib/platform/app.js';
import { loadConfigFile } from '../lib/platform/config/load.js';
import { ConfigError, type RdsDrConfig } from '../lib/platform/config/schema.js';

const app = new App();
const configPath = String(app.node.tryGetContext('config') ?? 'config/example.json');

let config: RdsDrConfig;
try {
  config = loadConfigFile(configPath);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  // The message names every bad field; a stack trace would only bury it.
  console.error(err.message);
  process.exit(1);
}

buildApp(config, { app });
app.synth();
