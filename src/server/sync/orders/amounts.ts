/**
 * Money as integer minor units (cents, or yen for a currency without decimals), so that sums of Amazon's decimal
 * strings stay exact; conversion to Shopware's floats happens once, at the edge of the payload.
 */

/** Parses an Amazon `Decimal` ("19.99", "-1.5", "5980") into minor units; rounds half away from zero beyond `decimals`. */
export function toMinorUnits(amount: string, decimals: number): number | null {
  const match = /^\s*([+-])?(\d+)(?:\.(\d*))?\s*$/.exec(amount);
  if (!match) return null;
  const [, sign, whole = '0', fraction = ''] = match;
  const kept = fraction.slice(0, decimals).padEnd(decimals, '0');
  let units = Number(whole) * 10 ** decimals + Number(kept || '0');
  const firstDropped = fraction.charAt(decimals);
  if (firstDropped !== '' && Number(firstDropped) >= 5) units += 1;
  if (!Number.isSafeInteger(units)) return null;
  return sign === '-' && units !== 0 ? -units : units;
}

/** Minor units → Amazon `Decimal` string with exactly `decimals` places. */
export function toDecimalString(units: number, decimals: number): string {
  const negative = units < 0;
  const digits = String(Math.abs(Math.round(units))).padStart(decimals + 1, '0');
  const whole = digits.slice(0, digits.length - decimals);
  const fraction = decimals > 0 ? `.${digits.slice(digits.length - decimals)}` : '';
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Minor units → the float Shopware stores, without binary noise (19.99, not 19.990000000000002). */
export function toAmount(units: number, decimals: number): number {
  return Number(toDecimalString(units, decimals));
}

/** Rounds half away from zero to whole minor units. */
export function roundUnits(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

/** The number of decimals of a currency's minor unit (ISO 4217) for the currencies Amazon sells in. */
export function currencyDecimals(currencyCode: string): number {
  return ZERO_DECIMAL_CURRENCIES.has(currencyCode.toUpperCase()) ? 0 : 2;
}

const ZERO_DECIMAL_CURRENCIES = new Set(['JPY', 'KRW', 'CLP', 'VND', 'ISK']);
