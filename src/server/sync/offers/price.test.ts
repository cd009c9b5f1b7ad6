import { describe, expect, it } from 'vitest';
import { applyPriceRule, grossPriceIn, offerPrice, roundToEnding, toMajor } from './price.ts';
import { DEFAULT_CURRENCY_ID, type EffectiveProduct, type ShopCurrency } from './product.ts';

const GBP_ID = '1e8f1e1a2c3b4d5e6f708192a3b4c5d6';
const currencies: ShopCurrency[] = [
  { id: DEFAULT_CURRENCY_ID, isoCode: 'EUR', factor: 1 },
  { id: GBP_ID, isoCode: 'GBP', factor: 0.86 },
  { id: 'jpy', isoCode: 'JPY', factor: 162.4 },
];
const product = (price: EffectiveProduct['price']): EffectiveProduct => ({
  id: 'p1',
  productNumber: 'AB-1001',
  stock: 1,
  active: true,
  price,
  customFields: {},
});
const eur = (amountMinor: number) => ({ currency: 'EUR', amountMinor });

describe('the gross price in a marketplace currency', () => {
  const p = product([
    { currencyId: DEFAULT_CURRENCY_ID, gross: 12.9, net: 10.84, linked: true },
    { currencyId: GBP_ID, gross: 11.5, net: 9.58, linked: false },
  ]);

  it("is the product's own price in that currency", () => {
    expect(grossPriceIn(p, 'EUR', currencies)).toEqual({ ok: true, price: eur(1290) });
    expect(grossPriceIn(p, 'GBP', currencies)).toEqual({ ok: true, price: { currency: 'GBP', amountMinor: 1150 } });
  });

  it('falls back to the default-currency price converted by the currency factor', () => {
    const onlyEur = product([{ currencyId: DEFAULT_CURRENCY_ID, gross: 12.9, net: 10.84, linked: true }]);
    expect(grossPriceIn(onlyEur, 'GBP', currencies)).toEqual({
      ok: true,
      price: { currency: 'GBP', amountMinor: 1109 },
    });
    // JPY has no minor unit: 12.90 × 162.4 = 2094.96 → 2095 yen.
    expect(grossPriceIn(onlyEur, 'JPY', currencies)).toEqual({
      ok: true,
      price: { currency: 'JPY', amountMinor: 2095 },
    });
  });

  it('says why when the shop lacks the currency or the product has no price', () => {
    expect(grossPriceIn(p, 'SEK', currencies)).toMatchObject({ ok: false, problem: 'no_currency' });
    expect(grossPriceIn(product(null), 'EUR', currencies)).toEqual({
      ok: false,
      problem: 'no_price',
      message: 'Product AB-1001 has no price.',
    });
  });

  it('keeps exact cents where floats would drift', () => {
    expect(
      grossPriceIn(
        product([{ currencyId: DEFAULT_CURRENCY_ID, gross: 1.005, net: 1, linked: true }]),
        'EUR',
        currencies,
      ),
    ).toEqual({ ok: true, price: eur(101) });
    expect(toMajor(eur(1999))).toBe(19.99);
    expect(toMajor({ currency: 'JPY', amountMinor: 2095 })).toBe(2095);
  });
});

describe('markup and rounding', () => {
  it('adds a percentage, then a fixed amount', () => {
    expect(applyPriceRule(eur(1000), { markupPercent: 15 })).toEqual({ ok: true, price: eur(1150) });
    expect(applyPriceRule(eur(1000), { markupFixed: 2.5 })).toEqual({ ok: true, price: eur(1250) });
    expect(applyPriceRule(eur(1000), { markupPercent: 10, markupFixed: 1 })).toEqual({ ok: true, price: eur(1200) });
    expect(applyPriceRule(eur(999), { markupPercent: 12.5 })).toEqual({ ok: true, price: eur(1124) }); // 11.23875
  });

  it('rounds up to .99 endings by default', () => {
    const rule = { rounding: { kind: 'ending', ending: 0.99 } } as const;
    expect(applyPriceRule(eur(1234), rule)).toEqual({ ok: true, price: eur(1299) });
    expect(applyPriceRule(eur(1299), rule)).toEqual({ ok: true, price: eur(1299) });
    expect(applyPriceRule(eur(1300), rule)).toEqual({ ok: true, price: eur(1399) });
  });

  it('rounds down or to the nearest ending, and to wider endings such as x9.99', () => {
    expect(roundToEnding(1234, 99, 100, 'down')).toBe(1199);
    expect(roundToEnding(1240, 99, 100, 'nearest')).toBe(1199);
    expect(roundToEnding(1260, 99, 100, 'nearest')).toBe(1299);
    expect(roundToEnding(50, 99, 100, 'down')).toBe(99); // never down to zero
    expect(applyPriceRule(eur(2345), { rounding: { kind: 'ending', ending: 9.99 } })).toEqual({
      ok: true,
      price: eur(2999),
    });
    expect(applyPriceRule(eur(2340), { rounding: { kind: 'ending', ending: 0.95, direction: 'nearest' } })).toEqual({
      ok: true,
      price: eur(2295),
    });
    expect(roundToEnding(2345, 95, 100, 'nearest')).toBe(2395); // a tie goes up
  });

  it('applies markup before rounding', () => {
    expect(applyPriceRule(eur(1000), { markupPercent: 20, rounding: { kind: 'ending', ending: 0.99 } })).toEqual({
      ok: true,
      price: eur(1299),
    });
  });

  it('refuses rules that cannot work instead of sending a wrong price', () => {
    expect(
      applyPriceRule({ currency: 'JPY', amountMinor: 2095 }, { rounding: { kind: 'ending', ending: 0.99 } }),
    ).toMatchObject({
      ok: false,
      problem: 'invalid_rule',
    });
    expect(applyPriceRule(eur(1000), { markupPercent: -100 })).toMatchObject({ ok: false, problem: 'invalid_rule' });
    expect(applyPriceRule(eur(100), { markupFixed: -1 })).toMatchObject({ ok: false, problem: 'not_positive' });
  });

  it('combines gross price and rule per marketplace currency', () => {
    const p = product([{ currencyId: DEFAULT_CURRENCY_ID, gross: 12.9, net: 10.84, linked: true }]);
    const rule = { markupPercent: 10, rounding: { kind: 'ending', ending: 0.99 } } as const;
    expect(offerPrice(p, 'EUR', currencies, rule)).toEqual({ ok: true, price: eur(1499) }); // 14.19 → 14.99
    expect(offerPrice(p, 'GBP', currencies, rule)).toEqual({ ok: true, price: { currency: 'GBP', amountMinor: 1299 } }); // 11.09 → 12.20 → 12.99
    expect(offerPrice(product(null), 'EUR', currencies, rule)).toMatchObject({ ok: false, problem: 'no_price' });
  });
});
