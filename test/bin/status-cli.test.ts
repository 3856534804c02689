import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../bin/cli/status.js';

describe('rds-dr status command line', () => {
  afterEach(() => vi.restoreAllMocks());

  it('refuses flags it does not take (and workflow flags) with exit 2, before reading any config', async () => {
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    expect(await main(['status', '--everything', '-c', 'no-such-config.json'])).toBe(2);
    expect(await main(['status', '--no-follow', '-c', 'no-such-config.json'])).toBe(2);
    expect(await main(['status', 'orders', '-c', 'no-such-config.json'])).toBe(2);
    expect(errors.join('\n')).toMatch(/unknown option --everything/);
    expect(errors.join('\n')).toMatch(/status: unexpected --no-follow/);
    expect(errors.join('\n')).toMatch(/status: unexpected orders\n.*\[--all\]/);
  });
});
