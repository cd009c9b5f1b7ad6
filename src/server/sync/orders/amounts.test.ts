import { describe, expect, it } from 'vitest';
import { currencyDecimals, toAmount, toDecimalString, toMinorUnits } from './amounts.ts';

describe('amounts in minor units', () => {
  it('parses Amazon decimals exactly, with and without fraction digits', () => {
    expect(toMinorUnits('19.99', 2)).toBe(1999);
    expect(toMinorUnits('5980', 0)).toBe(5980);
    expect(toMinorUnits('0.5', 2)).toBe(50);
    expect(toMinorUnits('-1.25', 2)).toBe(-125);
    expect(toMinorUnits('1.005', 2)).toBe(101);
    expect(toMinorUnits('abc', 2)).toBeNull();
  });

  it('formats minor units back to decimals and floats without binary noise', () => {
    expect(toDecimalString(1999, 2)).toBe('19.99');
    expect(toDecimalString(5, 2)).toBe('0.05');
    expect(toDecimalString(-125, 2)).toBe('-1.25');
    expect(toDecimalString(5980, 0)).toBe('5980');
    expect(toAmount(1999 + 1, 2)).toBe(20);
    expect(toAmount(0.1 * 3 * 100, 2)).toBe(0.3);
  });

  it('knows that yen have no minor unit', () => {
    expect(currencyDecimals('JPY')).toBe(0);
    expect(currencyDecimals('eur')).toBe(2);
  });
});
