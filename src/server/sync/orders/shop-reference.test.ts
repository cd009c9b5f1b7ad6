import { describe, expect, it } from 'vitest';
import {
  DEFAULT_IMPORT_SETTINGS,
  orderShopFacts,
  resolveImportTargets,
  type ShopReference,
  SYSTEM_LANGUAGE_ID,
} from './shop-reference.ts';

const state = (machine: string, technicalName: string) => ({
  id: `${machine}:${technicalName}`,
  technicalName,
  stateMachine: { technicalName: machine },
});

const reference: ShopReference = {
  salesChannels: [
    { id: 'sc-storefront', name: 'Storefront', languageId: 'lang-de', paymentMethodId: 'pm-invoice' },
    { id: 'sc-amazon', name: 'Amazon', languageId: null },
  ],
  paymentMethods: [
    { id: 'pm-invoice', name: 'Invoice', active: true },
    { id: 'pm-old-amazon', name: 'Amazon (old)', active: false },
    { id: 'pm-amazon', name: 'Amazon Pay (marketplace)', active: true },
  ],
  shippingMethods: [
    { id: 'sm-off', name: 'Pickup', active: false },
    { id: 'sm-standard', name: 'Standard', active: true },
  ],
  salutations: [
    { id: 'sal-mr', salutationKey: 'mr' },
    { id: 'sal-none', salutationKey: 'not_specified' },
  ],
  currencies: [
    { id: 'eur', isoCode: 'EUR', factor: 1, decimalPrecision: 2 },
    {
      id: 'jpy',
      isoCode: 'JPY',
      factor: 160,
      itemRounding: { decimals: 0, interval: 1, roundForNet: true },
      totalRounding: { decimals: 0, interval: 1, roundForNet: true },
    },
  ],
  countries: [
    { id: 'c-de', iso: 'DE' },
    { id: 'c-fr', iso: 'fr' },
  ],
  states: [
    state('order.state', 'open'),
    state('order_transaction.state', 'open'),
    state('order_transaction.state', 'paid'),
    state('order_delivery.state', 'open'),
    state('order_delivery.state', 'shipped'),
  ],
  taxes: [
    { id: 'tax-19', taxRate: 19 },
    { id: 'tax-7', taxRate: 7 },
  ],
};

describe('where imported Amazon orders go in the shop', () => {
  it('defaults to the sales channel named Amazon, an Amazon payment method, an active shipping method', () => {
    const result = resolveImportTargets(reference, DEFAULT_IMPORT_SETTINGS);
    expect(result).toEqual({
      ok: true,
      targets: {
        salesChannelId: 'sc-amazon',
        languageId: SYSTEM_LANGUAGE_ID,
        paymentMethodId: 'pm-amazon',
        shippingMethodId: 'sm-standard',
        salutationId: 'sal-none',
        stateIds: {
          order: 'order.state:open',
          transaction: 'order_transaction.state:paid',
          delivery: 'order_delivery.state:open',
          deliveryShipped: 'order_delivery.state:shipped',
        },
      },
    });
  });

  it('follows the merchant’s choices, and the chosen sales channel’s own defaults', () => {
    const result = resolveImportTargets(reference, { ...DEFAULT_IMPORT_SETTINGS, salesChannelId: 'sc-storefront' });
    expect(result).toMatchObject({
      ok: true,
      targets: { salesChannelId: 'sc-storefront', languageId: 'lang-de', paymentMethodId: 'pm-invoice' },
    });
  });

  it('says what to fix when a chosen sales channel is gone or the shop lacks a needed state', () => {
    expect(resolveImportTargets(reference, { ...DEFAULT_IMPORT_SETTINGS, salesChannelId: 'gone' })).toEqual({
      ok: false,
      message: expect.stringContaining('no longer exists'),
    });
    const withoutShipped = { ...reference, states: reference.states.filter((s) => s.technicalName !== 'shipped') };
    expect(resolveImportTargets(withoutShipped, DEFAULT_IMPORT_SETTINGS)).toEqual({
      ok: false,
      message: expect.stringContaining('deliveryShipped'),
    });
  });

  it('gives the mapping products by SKU with their tax rates, countries by ISO code and cash rounding', () => {
    const resolved = resolveImportTargets(reference, DEFAULT_IMPORT_SETTINGS);
    if (!resolved.ok) throw new Error(resolved.message);
    const facts = orderShopFacts('shop-1', resolved.targets, reference, [
      { id: 'p1', productNumber: 'AB-1001', taxId: 'tax-19' },
      { id: 'p2', productNumber: 'TEA', taxId: 'tax-7' },
    ]);
    expect(facts.products).toEqual({
      'AB-1001': { id: 'p1', productNumber: 'AB-1001', taxId: 'tax-19', taxRate: 19 },
      TEA: { id: 'p2', productNumber: 'TEA', taxId: 'tax-7', taxRate: 7 },
    });
    expect(facts.countryIds).toEqual({ DE: 'c-de', FR: 'c-fr' });
    expect(facts.currencies[0]).toMatchObject({
      isoCode: 'EUR',
      itemRounding: { decimals: 2, interval: 0.01, roundForNet: true },
    });
    expect(facts.currencies[1]?.totalRounding).toEqual({ decimals: 0, interval: 1, roundForNet: true });
  });
});
