import { currencyDecimals, roundUnits, toAmount } from '../orders/amounts.ts';
import { DEFAULT_CURRENCY_ID, type EffectiveProduct, type ShopCurrency } from './product.ts';

/** An amount in whole minor units (cents; yen for JPY), so that comparisons and sums stay exact. */
export interface Money {
  currency: string;
  amountMinor: number;
}

/**
 * Charm-price rounding: the price is moved to the nearest amount of the form `k × step + ending` in the given
 * direction — `ending: 0.99` (step 1) gives x.99, `ending: 9.99, step: 10` gives x9.99. Amounts in major units.
 */
export type Rounding =
  | { kind: 'none' }
  | { kind: 'ending'; ending: number; step?: number; direction?: 'up' | 'down' | 'nearest' };

/** How the shop price becomes the Amazon price in one marketplace: a markup in percent and/or fixed, then rounding. */
export interface PriceRule {
  markupPercent?: number;
  /** In the marketplace currency, major units. */
  markupFixed?: number;
  rounding?: Rounding;
}

export type PriceResult =
  | { ok: true; price: Money }
  | { ok: false; problem: 'no_price' | 'no_currency' | 'not_positive' | 'invalid_rule'; message: string };

/**
 * The gross price of a product in a currency as Shopware determines it: the product's own price in that currency,
 * otherwise its default-currency price converted with the currency's factor.
 */
export function grossPriceIn(
  product: EffectiveProduct,
  currencyIsoCode: string,
  currencies: readonly ShopCurrency[],
): { ok: true; price: Money } | { ok: false; problem: 'no_price' | 'no_currency'; message: string } {
  const currency = currencies.find((c) => c.isoCode.toUpperCase() === currencyIsoCode.toUpperCase());
  if (!currency) {
    return {
      ok: false,
      problem: 'no_currency',
      message: `The shop has no currency ${currencyIsoCode}; add it in Settings > Currencies to sell in that marketplace.`,
    };
  }
  const decimals = currencyDecimals(currencyIsoCode);
  const own = product.price?.find((p) => p.currencyId === currency.id);
  if (own) return { ok: true, price: { currency: currencyIsoCode, amountMinor: toMinor(own.gross, decimals) } };
  const fallback = product.price?.find((p) => p.currencyId === DEFAULT_CURRENCY_ID);
  if (!fallback) {
    return { ok: false, problem: 'no_price', message: `Product ${product.productNumber} has no price.` };
  }
  return {
    ok: true,
    price: { currency: currencyIsoCode, amountMinor: toMinor(fallback.gross * currency.factor, decimals) },
  };
}

/** The Amazon price of a product in a marketplace currency: gross, markup, rounding. */
export function offerPrice(
  product: EffectiveProduct,
  currencyIsoCode: string,
  currencies: readonly ShopCurrency[],
  rule: PriceRule = {},
): PriceResult {
  const gross = grossPriceIn(product, currencyIsoCode, currencies);
  if (!gross.ok) return gross;
  const result = applyPriceRule(gross.price, rule);
  if (!result.ok) return { ...result, message: `Product ${product.productNumber}: ${result.message}` };
  return result;
}

/** Markup in percent, then the fixed markup, then rounding; the result must stay above zero. */
export function applyPriceRule(price: Money, rule: PriceRule): PriceResult {
  const decimals = currencyDecimals(price.currency);
  const percent = rule.markupPercent ?? 0;
  if (!Number.isFinite(percent) || percent <= -100) {
    return { ok: false, problem: 'invalid_rule', message: `a markup of ${percent} % is not possible.` };
  }
  let amount = roundUnits(price.amountMinor * (1 + percent / 100));
  amount += toMinor(rule.markupFixed ?? 0, decimals);
  const rounding = rule.rounding ?? { kind: 'none' };
  if (rounding.kind === 'ending') {
    const ending = toMinorExact(rounding.ending, decimals);
    const step = toMinorExact(rounding.step ?? defaultStep(rounding.ending), decimals);
    if (ending === null || step === null || step <= 0 || ending < 0 || ending >= step) {
      return {
        ok: false,
        problem: 'invalid_rule',
        message: `the rounding to ${rounding.ending} endings does not fit ${price.currency} (${decimals} decimals).`,
      };
    }
    amount = roundToEnding(amount, ending, step, rounding.direction ?? 'up');
  }
  if (amount <= 0) {
    return { ok: false, problem: 'not_positive', message: `the price in ${price.currency} would not be above zero.` };
  }
  return { ok: true, price: { currency: price.currency, amountMinor: amount } };
}

/** Moves an amount to `k × step + ending` (minor units); "down" never goes to zero or below, it goes up instead. */
export function roundToEnding(
  amount: number,
  ending: number,
  step: number,
  direction: 'up' | 'down' | 'nearest',
): number {
  const below = Math.floor((amount - ending) / step) * step + ending;
  const above = below === amount ? amount : below + step;
  if (direction === 'up') return above;
  if (direction === 'down') return below > 0 ? below : above;
  if (below <= 0) return above;
  return amount - below < above - amount ? below : above;
}

/** Major units as a float (Shopware's 12.9) → minor units (1290), without binary noise. */
export function toMinor(amount: number, decimals: number): number {
  return roundUnits(Number((amount * 10 ** decimals).toPrecision(15)));
}

/** Minor units → the number Amazon's `value_with_tax` carries (19.99). */
export function toMajor(money: Money): number {
  return toAmount(money.amountMinor, currencyDecimals(money.currency));
}

function toMinorExact(amount: number, decimals: number): number | null {
  const minor = Number((amount * 10 ** decimals).toPrecision(15));
  return Number.isInteger(minor) ? minor : null;
}

/** 0.99 → 1, 9.99 → 10, 0.5 → 1: the smallest power of ten above the ending. */
function defaultStep(ending: number): number {
  let step = 1;
  while (step <= ending) step *= 10;
  return step;
}
