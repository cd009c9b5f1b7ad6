import { describe, expect, it } from 'vitest';
import { offerQuantity } from './quantity.ts';

describe('the quantity offered on Amazon', () => {
  it('is the stock minus the buffer', () => {
    expect(offerQuantity(10, { buffer: 2 })).toBe(8);
    expect(offerQuantity(10, { buffer: 0 })).toBe(10);
  });

  it('never goes below 0', () => {
    expect(offerQuantity(1, { buffer: 3 })).toBe(0);
    expect(offerQuantity(-4, { buffer: 0 })).toBe(0);
  });

  it('is capped when a cap is set', () => {
    expect(offerQuantity(500, { buffer: 5, cap: 100 })).toBe(100);
    expect(offerQuantity(50, { buffer: 5, cap: 100 })).toBe(45);
    expect(offerQuantity(50, { buffer: 0, cap: 0 })).toBe(0);
    expect(offerQuantity(50, { buffer: 0, cap: null })).toBe(50);
  });

  it('is whole units, erring on the side of offering less', () => {
    expect(offerQuantity(7.9, { buffer: 0.5 })).toBe(6);
    expect(offerQuantity(Number.NaN, { buffer: 0 })).toBe(0);
  });
});
