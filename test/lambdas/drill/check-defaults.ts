// The integrity and drift settings a database's checks get when its config says nothing (the config schema's defaults).
import { databaseChecksSchema } from '../../../lib/platform/config/verification-schema.js';

const { integrity, drift } = databaseChecksSchema.parse({});
export const CHECK_DEFAULTS = { integrity, drift };
