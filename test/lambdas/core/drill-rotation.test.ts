import { describe, expect, it } from 'vitest';
import { chooseDrillDatabases, parseRotationState, recordDrills, rotationWarning } from '../../../lambdas/core/drill-rotation.js';

const NOW = new Date('2026-11-29T03:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

describe('chooseDrillDatabases (which databases a scheduled drill restores)', () => {
  it('takes never-drilled databases first, then the longest since their last drill', () => {
    const state = { a: daysAgo(1), b: daysAgo(10), c: daysAgo(3) };
    const choice = chooseDrillDatabases(['a', 'b', 'c', 'd'], state, 3, 7, NOW);
    expect(choice.picked).toEqual(['d', 'b', 'c']);
  });

  it('puts every overdue database before any that is not, and counts the overdue ones it leaves out', () => {
    const state = { fresh: daysAgo(1), old1: daysAgo(8), old2: daysAgo(30), old3: daysAgo(9) };
    const choice = chooseDrillDatabases(['fresh', 'old1', 'old2', 'old3', 'never'], state, 2, 7, NOW);
    expect(choice.picked).toEqual(['never', 'old2']);
    expect(choice).toMatchObject({ databases: 5, overdue: 4, neverDrilled: 1, overdueNotPicked: 2 });
  });

  it('drills at most perRun, and fills the run with the next-oldest when nothing is overdue', () => {
    const dbs = Array.from({ length: 300 }, (_, i) => `db${i}`);
    const state = Object.fromEntries(dbs.map((db, i) => [db, daysAgo(i % 5)]));
    const choice = chooseDrillDatabases(dbs, state, 5, 7, NOW);
    expect(choice.picked).toHaveLength(5);
    expect(choice.picked.every((db) => state[db] === daysAgo(4))).toBe(true);
    expect(choice).toMatchObject({ overdue: 0, overdueNotPicked: 0 });
  });

  it('keeps the configured order among ties (never drilled, or drilled in the same run)', () => {
    const dbs = ['z', 'm', 'a', 'q'];
    expect(chooseDrillDatabases(dbs, {}, 3, 7, NOW).picked).toEqual(['z', 'm', 'a']);
    const sameRun = Object.fromEntries(dbs.map((db) => [db, daysAgo(2)]));
    expect(chooseDrillDatabases(dbs, sameRun, 2, 7, NOW).picked).toEqual(['z', 'm']);
  });

  it('rotates: recording each run\'s picks, 300 databases at 5 a run are all drilled once in 60 runs', () => {
    const dbs = Array.from({ length: 300 }, (_, i) => `db${i}`);
    let state = {};
    const seen: string[] = [];
    for (let run = 0; run < 60; run++) {
      const at = new Date(NOW.getTime() + run * 3_600_000);
      const { picked } = chooseDrillDatabases(dbs, state, 5, 7, at);
      seen.push(...picked);
      state = recordDrills(state, picked, at.toISOString());
    }
    expect(new Set(seen).size).toBe(300);
    expect(seen).toHaveLength(300);
  });

  it('reads an unreadable date or state as never drilled', () => {
    expect(chooseDrillDatabases(['a', 'b'], { a: 'yesterday', b: daysAgo(1) }, 1, 7, NOW).picked).toEqual(['a']);
    expect(parseRotationState(['not', 'a', 'map'])).toEqual({});
    expect(parseRotationState({ a: daysAgo(1) })).toEqual({ a: daysAgo(1) });
  });
});

describe('rotationWarning', () => {
  it('warns only when overdue databases were left out, naming the knob', () => {
    expect(rotationWarning({ overdueNotPicked: 0, databases: 300 }, 5, 7)).toBeUndefined();
    expect(rotationWarning({ overdueNotPicked: 295, databases: 300 }, 5, 7)).toBe(
      '295 of 300 database(s) not drilled in 7 days are not in this run (sample.perRun 5): raise verify.sample.perRun or schedule the drill more often.',
    );
  });
});
