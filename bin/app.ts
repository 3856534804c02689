// CDK entry point: `cdk synth -c config=path/to/config.json` (default config/example.json).
import { synthFromContext } from '../lib/platform/app.js';

synthFromContext();
