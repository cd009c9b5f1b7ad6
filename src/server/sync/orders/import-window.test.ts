import { describe, expect, it } from 'vitest';
import { DAY_MS } from '../../clock/clock.ts';
import {
  afterPage,
  daysBeyondAmazonReach,
  type ImportCursor,
  initialCursor,
  restartWindow,
  searchQuery,
} from './import-window.ts';

const now = new Date('2026-03-10T12:00:00.000Z');
const start: ImportCursor = { updatedAfter: new Date('2026-03-01T00:00:00.000Z'), windowBefore: null, pageToken: null };

describe('the order import cursor', () => {
  it('starts a few days back, so orders placed just before connecting are imported', () => {
    expect(initialCursor(now, 3)).toEqual({
      updatedAfter: new Date('2026-03-07T12:00:00.000Z'),
      windowBefore: null,
      pageToken: null,
    });
  });

  it('asks for full pages with the datasets the mapping reads, never with a lastUpdatedBefore', () => {
    expect(searchQuery(start)).toEqual({
      lastUpdatedAfter: '2026-03-01T00:00:00.000Z',
      includedData: ['BUYER', 'RECIPIENT', 'PROCEEDS', 'FULFILLMENT'],
      maxResultsPerPage: 100,
    });
    expect(searchQuery({ ...start, pageToken: 'tok' })).toMatchObject({
      lastUpdatedAfter: '2026-03-01T00:00:00.000Z',
      paginationToken: 'tok',
    });
  });

  it('keeps the cursor while pages of the window remain, and moves it to Amazon’s bound after the last page', () => {
    const first = afterPage(start, { nextToken: 'p2', lastUpdatedBefore: '2026-03-10T11:58:00.000Z' }, now);
    expect(first).toEqual({
      updatedAfter: start.updatedAfter,
      windowBefore: new Date('2026-03-10T11:58:00.000Z'),
      pageToken: 'p2',
    });
    const last = afterPage(first, { lastUpdatedBefore: '2026-03-10T11:58:00.000Z' }, now);
    expect(last).toEqual({ updatedAfter: new Date('2026-03-10T11:58:00.000Z'), windowBefore: null, pageToken: null });
  });

  it('stays behind Amazon’s default bound when Amazon does not echo it', () => {
    const cursor = afterPage(start, {}, now);
    expect(cursor.updatedAfter.getTime()).toBe(now.getTime() - 3 * 60_000);
    const continued = afterPage(
      { ...start, windowBefore: new Date('2026-03-09T00:00:00.000Z'), pageToken: 'x' },
      {},
      now,
    );
    expect(continued.updatedAfter).toEqual(new Date('2026-03-09T00:00:00.000Z'));
  });

  it('never moves backwards', () => {
    const cursor = afterPage(start, { lastUpdatedBefore: '2026-02-01T00:00:00.000Z' }, now);
    expect(cursor.updatedAfter).toEqual(start.updatedAfter);
  });

  it('reads a window again from its start when Amazon refuses the page token', () => {
    expect(restartWindow({ ...start, windowBefore: now, pageToken: 'expired' })).toEqual(start);
  });

  it('knows when a gap reaches further back than Amazon still returns orders', () => {
    expect(daysBeyondAmazonReach(start, now)).toBe(0);
    const old = { ...start, updatedAfter: new Date(now.getTime() - 740 * DAY_MS) };
    expect(daysBeyondAmazonReach(old, now)).toBe(10);
  });
});
