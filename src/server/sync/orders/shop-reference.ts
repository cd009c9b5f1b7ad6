import type { OrderImportConfig } from './decision.ts';
import type { OrderShopFacts, OrderStateIds, ShopCurrency } from './mapping.ts';

/**
 * What the order import needs to know about a shop, as read from its Admin API, and the rules that turn it — with the
 * merchant's import settings — into the facts the order mapping works with.
 */

/** Shopware's system language (Defaults::LANGUAGE_SYSTEM), used when a sales channel does not name its own. */
export const SYSTEM_LANGUAGE_ID = '2fbb5fe2e29a4d70aa5854ce7ce3e20b';

export interface ImportSettings {
  /** null: resolved from the shop (a sales channel named Amazon, else the first one). */
  salesChannelId: string | null;
  /** null: the sales channel's payment method, else one named Amazon, else the first active one. */
  paymentMethodId: string | null;
  /** null: the sales channel's shipping method, else the first active one. */
  shippingMethodId: string | null;
  importAmazonFulfilled: boolean;
  reduceStockForAmazonFulfilled: boolean;
  /** How far back the very first import of a seller reaches. */
  initialLookbackDays: number;
}

export const DEFAULT_IMPORT_SETTINGS: ImportSettings = {
  salesChannelId: null,
  paymentMethodId: null,
  shippingMethodId: null,
  importAmazonFulfilled: true,
  reduceStockForAmazonFulfilled: false,
  initialLookbackDays: 3,
};

export function importConfig(settings: ImportSettings): OrderImportConfig {
  return {
    importAmazonFulfilled: settings.importAmazonFulfilled,
    reduceStockForAmazonFulfilled: settings.reduceStockForAmazonFulfilled,
  };
}

interface Rounding {
  decimals: number;
  interval: number;
  roundForNet: boolean;
}

export interface ShopReference {
  salesChannels: Array<{
    id: string;
    name?: string | null;
    languageId?: string | null;
    paymentMethodId?: string | null;
    shippingMethodId?: string | null;
  }>;
  paymentMethods: Array<{ id: string; name?: string | null; active?: boolean | null }>;
  shippingMethods: Array<{ id: string; name?: string | null; active?: boolean | null }>;
  salutations: Array<{ id: string; salutationKey?: string | null }>;
  currencies: Array<{
    id: string;
    isoCode: string;
    factor: number;
    decimalPrecision?: number | null;
    itemRounding?: Rounding | null;
    totalRounding?: Rounding | null;
  }>;
  countries: Array<{ id: string; iso?: string | null }>;
  states: Array<{ id: string; technicalName: string; stateMachine?: { technicalName?: string } | null }>;
  taxes: Array<{ id: string; taxRate: number }>;
}

export interface ShopProductRow {
  id: string;
  productNumber: string;
  taxId?: string | null;
}

/** Where imported orders go in the shop. */
export interface ImportTargets {
  salesChannelId: string;
  languageId: string;
  paymentMethodId: string;
  shippingMethodId: string;
  salutationId: string;
  stateIds: OrderStateIds;
}

export type TargetsResult = { ok: true; targets: ImportTargets } | { ok: false; message: string };

const AMAZON = /amazon/i;

export function resolveImportTargets(reference: ShopReference, settings: ImportSettings): TargetsResult {
  const salesChannel = settings.salesChannelId
    ? reference.salesChannels.find((channel) => channel.id === settings.salesChannelId)
    : (reference.salesChannels.find((channel) => AMAZON.test(channel.name ?? '')) ?? reference.salesChannels[0]);
  if (!salesChannel) {
    return {
      ok: false,
      message: settings.salesChannelId
        ? `The sales channel chosen for Amazon orders (${settings.salesChannelId}) no longer exists; choose another one.`
        : 'The shop has no sales channel to put Amazon orders into; create one (e.g. "Amazon").',
    };
  }
  const active = <T extends { active?: boolean | null }>(rows: T[]) => rows.filter((row) => row.active !== false);
  const paymentMethod = settings.paymentMethodId
    ? reference.paymentMethods.find((method) => method.id === settings.paymentMethodId)
    : (reference.paymentMethods.find((method) => method.id === salesChannel.paymentMethodId) ??
      active(reference.paymentMethods).find((method) => AMAZON.test(method.name ?? '')) ??
      active(reference.paymentMethods)[0]);
  if (!paymentMethod) {
    return { ok: false, message: 'No payment method for Amazon orders: choose one in the order import settings.' };
  }
  const shippingMethod = settings.shippingMethodId
    ? reference.shippingMethods.find((method) => method.id === settings.shippingMethodId)
    : (reference.shippingMethods.find((method) => method.id === salesChannel.shippingMethodId) ??
      active(reference.shippingMethods)[0]);
  if (!shippingMethod) {
    return { ok: false, message: 'No shipping method for Amazon orders: choose one in the order import settings.' };
  }
  const salutation =
    reference.salutations.find((candidate) => candidate.salutationKey === 'not_specified') ?? reference.salutations[0];
  if (!salutation) return { ok: false, message: 'The shop has no salutation; Shopware needs one for every order.' };

  const stateId = (machine: string, technicalName: string) =>
    reference.states.find(
      (state) => state.technicalName === technicalName && state.stateMachine?.technicalName === machine,
    )?.id;
  const wanted = {
    order: stateId('order.state', 'open'),
    transaction: stateId('order_transaction.state', 'paid'),
    delivery: stateId('order_delivery.state', 'open'),
    deliveryShipped: stateId('order_delivery.state', 'shipped'),
  };
  const missing = Object.entries(wanted).filter(([, id]) => !id);
  if (missing.length > 0) {
    return {
      ok: false,
      message: `The shop's order state machines lack the states ${missing.map(([name]) => name).join(', ')}.`,
    };
  }
  return {
    ok: true,
    targets: {
      salesChannelId: salesChannel.id,
      languageId: salesChannel.languageId || SYSTEM_LANGUAGE_ID,
      paymentMethodId: paymentMethod.id,
      shippingMethodId: shippingMethod.id,
      salutationId: salutation.id,
      stateIds: wanted as OrderStateIds,
    },
  };
}

/** The facts for mapping orders of one shop, with the products found for the orders' SKUs (SKU = product number). */
export function orderShopFacts(
  shopId: string,
  targets: ImportTargets,
  reference: ShopReference,
  products: Iterable<ShopProductRow>,
): OrderShopFacts {
  const taxRates = new Map(reference.taxes.map((tax) => [tax.id, tax.taxRate]));
  const bySku: Record<string, OrderShopFacts['products'][string]> = {};
  for (const product of products) {
    bySku[product.productNumber] = {
      id: product.id,
      productNumber: product.productNumber,
      taxId: product.taxId ?? '',
      taxRate: (product.taxId ? taxRates.get(product.taxId) : undefined) ?? 0,
    };
  }
  const countryIds: Record<string, string> = {};
  for (const country of reference.countries) if (country.iso) countryIds[country.iso.toUpperCase()] = country.id;
  return {
    shopId,
    salesChannelId: targets.salesChannelId,
    languageId: targets.languageId,
    paymentMethodId: targets.paymentMethodId,
    shippingMethodId: targets.shippingMethodId,
    salutationId: targets.salutationId,
    currencies: reference.currencies.map(shopCurrency),
    countryIds,
    products: bySku,
    stateIds: targets.stateIds,
  };
}

function shopCurrency(currency: ShopReference['currencies'][number]): ShopCurrency {
  // Shopware 6.4+ stores cash rounding per currency; older data only has the decimal precision.
  const decimals = currency.itemRounding?.decimals ?? currency.decimalPrecision ?? 2;
  const fallback: Rounding = { decimals, interval: 10 ** -decimals, roundForNet: true };
  return {
    id: currency.id,
    isoCode: currency.isoCode,
    factor: currency.factor,
    itemRounding: currency.itemRounding ?? fallback,
    totalRounding: currency.totalRounding ?? fallback,
  };
}
