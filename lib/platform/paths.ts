import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

// Resolved from this file rather than process.cwd(), so synth works from tests and from any directory.
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const repoPath = (...segments: string[]): string => join(REPO_ROOT, ...segments);
