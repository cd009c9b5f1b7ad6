import type { AmazonOrder, CustomerAddress, Money, OrderItem, ProceedsBreakdown } from './amazon-order.ts';
import { roundUnits, toAmount, toMinorUnits } from './amounts.ts';
import type { FulfillmentHandling } from './decision.ts';
import { orderPartId, shopwareOrderId } from './order-ids.ts';
import type {
  CalculatedPrice,
  CalculatedTax,
  CartPrice,
  CashRoundingConfig,
  OrderAddressPayload,
  OrderLineItemPayload,
  ShopwareOrderPayload,
  TaxRule,
  TaxStatus,
} from './shopware-order.ts';

/**
 * Amazon order (Orders API v2026-01-01, fetched with BUYER, RECIPIENT, PROCEEDS and FULFILLMENT) + facts about the
 * shop → the body of Shopware's `POST /api/order`, or the reason the order has to be parked.
 *
 * Money: Amazon's own amounts are kept exactly (line totals, shipping, taxes, grand total); nothing is recalculated from
 * shop prices. Amazon does not document whether a `proceeds` ITEM amount includes tax (the model's examples add TAX on
 * top: proceedsTotal = ITEM + SHIPPING + TAX), so each item's convention is read from its own `proceedsTotal`.
 */

export const CUSTOM_FIELD_ORDER_ID = 'amazon_bridge_order_id';
export const CUSTOM_FIELD_MARKETPLACE_ID = 'amazon_bridge_marketplace_id';
export const CUSTOM_FIELD_FULFILLED_BY = 'amazon_bridge_fulfilled_by';
/** The affiliate code of every imported order: Shopware's order list can filter by it. */
export const AMAZON_AFFILIATE_CODE = 'amazon';

export interface ShopCurrency {
  id: string;
  isoCode: string;
  /** Shopware's currency factor relative to the shop's default currency. */
  factor: number;
  itemRounding: CashRoundingConfig;
  totalRounding: CashRoundingConfig;
}

export interface ShopProduct {
  id: string;
  productNumber: string;
  taxId: string;
  /** The product's tax rate in percent (19 for 19 %). */
  taxRate: number;
}

/** State ids (Shopware state_machine_state ids) the new order, its transaction and its delivery start in. */
export interface OrderStateIds {
  /** order.state `open` */
  order: string;
  /** order_transaction.state `paid`: Amazon has collected the money. */
  transaction: string;
  /** order_delivery.state `open` */
  delivery: string;
  /** order_delivery.state `shipped`, for orders Amazon ships (FBA) or that arrive already shipped. */
  deliveryShipped: string;
}

export interface OrderShopFacts {
  shopId: string;
  salesChannelId: string;
  languageId: string;
  paymentMethodId: string;
  shippingMethodId: string;
  /** Salutation for buyer and address (Amazon has none): usually `not_specified`. */
  salutationId: string;
  /** The shop's currencies; the order's currency is found by ISO code. */
  currencies: readonly ShopCurrency[];
  /** Country id by ISO 3166-1 alpha-2 code. */
  countryIds: Readonly<Record<string, string>>;
  /** Products by the SKU used on Amazon. */
  products: Readonly<Record<string, ShopProduct>>;
  stateIds: OrderStateIds;
  /** Tax status of the created order; `gross` (prices with tax, as B2C shops show them) unless set. */
  taxStatus?: TaxStatus;
}

export interface MapOrderOptions {
  handling: FulfillmentHandling;
  /** An order number reserved in Shopware (`GET /api/_action/number-range/reserve/order/{salesChannelId}`). */
  orderNumber?: string;
}

export type ParkCode =
  | 'no_items'
  | 'unsupported_currency'
  | 'unknown_sku'
  | 'missing_address'
  | 'unknown_country'
  | 'missing_amounts'
  | 'inconsistent_amounts';

export interface ParkReason {
  code: ParkCode;
  /** For the merchant: what is wrong and what fixes it. */
  message: string;
  /** unknown_sku: the SKUs no shop product matches. */
  skus?: string[];
}

export type OrderMappingResult = { ok: true; payload: ShopwareOrderPayload } | { ok: false; reason: ParkReason };

/** Charge categories of Amazon's item proceeds that the buyer pays (TAX and DISCOUNT modify them). */
const CHARGE_TYPES = ['ITEM', 'SHIPPING', 'GIFT_WRAP', 'COD_FEE', 'OTHER'] as const;
type ChargeType = (typeof CHARGE_TYPES)[number];

const EXTRA_CHARGE_LABELS: Record<Exclude<ChargeType, 'ITEM' | 'SHIPPING'>, string> = {
  GIFT_WRAP: 'Gift wrap (Amazon)',
  COD_FEE: 'Cash on delivery fee (Amazon)',
  OTHER: 'Other charges (Amazon)',
};

/** One charge category of one Amazon item, in minor units of the order currency. */
interface Charge {
  net: number;
  tax: number;
  gross: number;
  taxRate: number;
}

interface MappedItem {
  item: OrderItem;
  sku: string;
  product: ShopProduct;
  charges: Map<ChargeType, Charge>;
}

/** A part of the order with its own price: a line item or the shipping costs. */
interface PricedPart {
  /** Total in the order's tax status (gross or net). */
  total: number;
  net: number;
  gross: number;
  taxes: Map<number, { tax: number; price: number }>;
}

export function mapAmazonOrder(order: AmazonOrder, shop: OrderShopFacts, options: MapOrderOptions): OrderMappingResult {
  const taxStatus: TaxStatus = shop.taxStatus ?? 'gross';
  const items = order.orderItems.filter((item) => item.quantityOrdered > 0);
  if (items.length === 0) {
    return park('no_items', `Amazon order ${order.orderId} has no items with a quantity to import.`);
  }

  const currencyCodes = new Set(moneyOf(order).map((money) => money.currencyCode.toUpperCase()));
  if (currencyCodes.size !== 1) {
    return park(
      currencyCodes.size === 0 ? 'missing_amounts' : 'unsupported_currency',
      currencyCodes.size === 0
        ? `Amazon order ${order.orderId} carries no prices; the import must request includedData=PROCEEDS.`
        : `Amazon order ${order.orderId} mixes currencies (${[...currencyCodes].join(', ')}).`,
    );
  }
  const [currencyCode = ''] = currencyCodes;
  const currency = shop.currencies.find((candidate) => candidate.isoCode.toUpperCase() === currencyCode);
  if (!currency) {
    return {
      ok: false,
      reason: {
        code: 'unsupported_currency',
        message: `The shop has no currency ${currencyCode} for Amazon order ${order.orderId}; add it in Shopware and retry.`,
      },
    };
  }
  const decimals = currency.itemRounding.decimals;

  const unknownSkus = [
    ...new Set(items.map((item) => item.product.sellerSku ?? '').filter((sku) => !productFor(shop, sku))),
  ];
  if (unknownSkus.length > 0) {
    const shown = unknownSkus.map((sku) => (sku === '' ? '(no SKU)' : sku)).join(', ');
    return {
      ok: false,
      reason: {
        code: 'unknown_sku',
        message: `No shop product has the SKU ${shown} of Amazon order ${order.orderId}; create or map the product and retry.`,
        skus: unknownSkus,
      },
    };
  }

  const address = order.recipient?.deliveryAddress;
  const recipientName = splitName(address?.name ?? '');
  const street = address?.addressLine1?.trim() || address?.addressLine2?.trim();
  if (!address || !recipientName || !street || !address.city?.trim() || !address.countryCode?.trim()) {
    return park(
      'missing_address',
      `Amazon order ${order.orderId} has no complete delivery address (name, street, city, country); ` +
        'it may still be pending, or the app lacks the role for buyer data.',
    );
  }
  const countryCode = address.countryCode.trim().toUpperCase();
  const countryId = shop.countryIds[countryCode];
  if (!countryId) {
    return park(
      'unknown_country',
      `The shop has no country ${countryCode} for Amazon order ${order.orderId}; activate it in Shopware and retry.`,
    );
  }

  const mappedItems: MappedItem[] = [];
  for (const item of items) {
    const sku = item.product.sellerSku ?? '';
    const product = productFor(shop, sku) as ShopProduct;
    const charges = itemCharges(item, decimals, product.taxRate);
    if (!charges.ok) return park(charges.code, `Amazon order ${order.orderId}, item ${sku}: ${charges.message}`);
    mappedItems.push({ item, sku, product, charges: charges.charges });
  }

  const orderId = shopwareOrderId(shop.shopId, order.orderId);
  const addressId = orderPartId(orderId, 'address');
  const inStatus = (charge: { net: number; gross: number }) => (taxStatus === 'gross' ? charge.gross : charge.net);

  const lineItems: OrderLineItemPayload[] = [];
  const lineParts: PricedPart[] = [];
  for (const { item, sku, product, charges } of mappedItems) {
    const itemCharge = charges.get('ITEM') ?? { net: 0, tax: 0, gross: 0, taxRate: product.taxRate };
    const part = pricedPart([itemCharge], inStatus);
    const price = calculatedPrice(part, item.quantityOrdered, decimals);
    lineParts.push(part);
    lineItems.push({
      id: orderPartId(orderId, `line:${item.orderItemId}`),
      identifier: product.id,
      type: options.handling.reduceStock ? 'product' : 'custom',
      referencedId: product.id,
      productId: product.id,
      quantity: item.quantityOrdered,
      label: item.product.title?.trim() || product.productNumber,
      position: lineItems.length + 1,
      good: true,
      removable: true,
      stackable: true,
      states: ['is-physical'],
      price,
      priceDefinition: {
        type: 'quantity',
        price: price.unitPrice,
        quantity: item.quantityOrdered,
        taxRules: price.taxRules,
        isCalculated: true,
      },
      payload: {
        productNumber: product.productNumber,
        taxId: product.taxId,
        amazonOrderItemId: item.orderItemId,
        amazonSku: sku,
        asin: item.product.asin ?? null,
      },
    });
  }

  for (const type of ['GIFT_WRAP', 'COD_FEE', 'OTHER'] as const) {
    const charges = mappedItems.flatMap(({ charges }) => {
      const charge = charges.get(type);
      return charge ? [charge] : [];
    });
    if (charges.length === 0) continue;
    const part = pricedPart(charges, inStatus);
    const price = calculatedPrice(part, 1, decimals);
    lineParts.push(part);
    lineItems.push({
      id: orderPartId(orderId, `charge:${type}`),
      identifier: `amazon-${type.toLowerCase()}`,
      type: 'custom',
      quantity: 1,
      label: EXTRA_CHARGE_LABELS[type],
      position: lineItems.length + 1,
      good: false,
      removable: true,
      stackable: false,
      states: [],
      price,
      priceDefinition: {
        type: 'quantity',
        price: price.unitPrice,
        quantity: 1,
        taxRules: price.taxRules,
        isCalculated: true,
      },
      payload: {},
    });
  }

  const shippingPart = pricedPart(
    mappedItems.flatMap(({ charges }) => {
      const charge = charges.get('SHIPPING');
      return charge ? [charge] : [];
    }),
    inStatus,
  );
  const shippingCosts = calculatedPrice(shippingPart, 1, decimals);

  const allParts = [...lineParts, shippingPart];
  const orderTaxes = mergeTaxes(allParts);
  const totalGross = sum(allParts.map((part) => part.gross));
  const totalNet = sum(allParts.map((part) => part.net));
  const positionTotal = sum(lineParts.map((part) => part.total));
  const orderTaxList = taxList(orderTaxes, decimals);
  const orderTaxRules = taxRules(orderTaxes);
  const price: CartPrice = {
    netPrice: toAmount(totalNet, decimals),
    totalPrice: toAmount(totalGross, decimals),
    positionPrice: toAmount(positionTotal, decimals),
    rawTotal: toAmount(totalGross, decimals),
    taxStatus,
    calculatedTaxes: orderTaxList,
    taxRules: orderTaxRules,
  };

  const buyerName = splitName(order.buyer?.buyerName ?? '') ?? recipientName;
  const salesChannelName = order.salesChannel.marketplaceName ?? order.salesChannel.marketplaceId ?? 'Amazon';
  const fulfilledByText =
    options.handling.fulfilledBy === 'AMAZON' ? 'fulfilled by Amazon' : 'fulfilled by the merchant';
  const shipBy = order.fulfillment?.shipByWindow;
  const shippingDateEarliest = isoTime(shipBy?.earliestDateTime ?? order.createdTime);
  const shippingDateLatest = isoTime(shipBy?.latestDateTime ?? shipBy?.earliestDateTime ?? order.createdTime);
  const productLines = lineItems.filter((line) => line.good);

  const payload: ShopwareOrderPayload = {
    id: orderId,
    ...(options.orderNumber ? { orderNumber: options.orderNumber } : {}),
    salesChannelId: shop.salesChannelId,
    languageId: shop.languageId,
    currencyId: currency.id,
    currencyFactor: currency.factor,
    orderDateTime: isoTime(order.createdTime),
    stateId: shop.stateIds.order,
    itemRounding: currency.itemRounding,
    totalRounding: currency.totalRounding,
    price,
    shippingCosts,
    billingAddressId: addressId,
    // Amazon gives no billing address; the delivery address serves as both, as one order address.
    addresses: [orderAddress(addressId, countryId, shop.salutationId, recipientName, street, address)],
    orderCustomer: {
      id: orderPartId(orderId, 'customer'),
      // Amazon's buyer address is an anonymized relay, and FBA orders carry none: `.invalid` can never receive mail.
      email: order.buyer?.buyerEmail?.trim() || `${order.orderId}@amazon-buyer.invalid`,
      salutationId: shop.salutationId,
      firstName: buyerName.firstName,
      lastName: buyerName.lastName,
      ...(order.buyer?.buyerCompanyName ? { company: order.buyer.buyerCompanyName } : {}),
    },
    lineItems,
    deliveries: [
      {
        id: orderPartId(orderId, 'delivery'),
        stateId: options.handling.deliveryShipped ? shop.stateIds.deliveryShipped : shop.stateIds.delivery,
        shippingMethodId: shop.shippingMethodId,
        shippingOrderAddressId: addressId,
        shippingDateEarliest,
        shippingDateLatest,
        shippingCosts,
        trackingCodes: [],
        positions: productLines.map((line) => ({
          id: orderPartId(orderId, `position:${line.id}`),
          orderLineItemId: line.id,
          price: line.price,
        })),
      },
    ],
    transactions: [
      {
        id: orderPartId(orderId, 'transaction'),
        paymentMethodId: shop.paymentMethodId,
        stateId: shop.stateIds.transaction,
        amount: {
          unitPrice: price.totalPrice,
          quantity: 1,
          totalPrice: price.totalPrice,
          calculatedTaxes: orderTaxList,
          taxRules: orderTaxRules,
          referencePrice: null,
          listPrice: null,
          regulationPrice: null,
        },
      },
    ],
    affiliateCode: AMAZON_AFFILIATE_CODE,
    campaignCode: salesChannelName,
    customerComment: `Amazon order ${order.orderId} (${salesChannelName}, ${fulfilledByText})`,
    customFields: {
      [CUSTOM_FIELD_ORDER_ID]: order.orderId,
      [CUSTOM_FIELD_MARKETPLACE_ID]: order.salesChannel.marketplaceId ?? '',
      [CUSTOM_FIELD_FULFILLED_BY]: options.handling.fulfilledBy,
    },
  };
  return { ok: true, payload };
}

function park(code: ParkCode, message: string): OrderMappingResult {
  return { ok: false, reason: { code, message } };
}

function productFor(shop: OrderShopFacts, sku: string): ShopProduct | undefined {
  return sku !== '' && Object.hasOwn(shop.products, sku) ? shop.products[sku] : undefined;
}

function moneyOf(order: AmazonOrder): Money[] {
  const found: Money[] = [];
  for (const item of order.orderItems) {
    if (item.product.price?.unitPrice) found.push(item.product.price.unitPrice);
    if (item.proceeds?.proceedsTotal) found.push(item.proceeds.proceedsTotal);
    for (const breakdown of item.proceeds?.breakdowns ?? []) found.push(breakdown.subtotal);
  }
  return found;
}

type ItemChargesResult =
  | { ok: true; charges: Map<ChargeType, Charge> }
  | { ok: false; code: 'missing_amounts' | 'inconsistent_amounts'; message: string };

/** Splits one Amazon item's proceeds into charge categories with net, tax, gross and tax rate. */
function itemCharges(item: OrderItem, decimals: number, productTaxRate: number): ItemChargesResult {
  const breakdowns = item.proceeds?.breakdowns ?? [];
  if (!breakdowns.some((breakdown) => breakdown.type === 'ITEM')) {
    return {
      ok: false,
      code: 'missing_amounts',
      message: 'Amazon sent no item amount (the import must request includedData=PROCEEDS).',
    };
  }
  const parse = (money: Money | undefined) => (money ? toMinorUnits(money.amount, decimals) : 0);

  const base = new Map<ChargeType, number>();
  let totalTax = 0;
  const taxParts: ProceedsBreakdown[] = [];
  const discountParts: ProceedsBreakdown[] = [];
  for (const breakdown of breakdowns) {
    const amount = parse(breakdown.subtotal);
    if (amount === null)
      return { ok: false, code: 'inconsistent_amounts', message: `unreadable amount ${breakdown.subtotal.amount}` };
    if ((CHARGE_TYPES as readonly string[]).includes(breakdown.type)) {
      const type = breakdown.type as ChargeType;
      base.set(type, (base.get(type) ?? 0) + amount);
    } else if (breakdown.type === 'TAX') {
      totalTax += amount;
      taxParts.push(breakdown);
    } else if (breakdown.type === 'DISCOUNT') {
      discountParts.push(breakdown);
    }
  }

  // Discounts reduce what the buyer pays for the category they apply to; Amazon's sign is not documented.
  for (const discount of discountParts) {
    for (const [type, amount] of attribute(discount, base, decimals)) {
      base.set(type, (base.get(type) ?? 0) - Math.abs(amount));
    }
  }
  const taxes = new Map<ChargeType, number>();
  for (const tax of taxParts) {
    for (const [type, amount] of attribute(tax, base, decimals)) taxes.set(type, (taxes.get(type) ?? 0) + amount);
  }

  const baseTotal = sum([...base.values()]);
  const proceedsTotal = item.proceeds?.proceedsTotal ? parse(item.proceeds.proceedsTotal) : undefined;
  if (proceedsTotal === null) return { ok: false, code: 'inconsistent_amounts', message: 'unreadable proceeds total' };
  let taxIncluded: boolean;
  if (proceedsTotal === undefined || Math.abs(proceedsTotal - (baseTotal + totalTax)) <= 1) taxIncluded = false;
  else if (Math.abs(proceedsTotal - baseTotal) <= 1) taxIncluded = true;
  else {
    return {
      ok: false,
      code: 'inconsistent_amounts',
      message: `its proceeds total ${item.proceeds?.proceedsTotal?.amount} matches neither the charges with nor without tax.`,
    };
  }

  const charges = new Map<ChargeType, Charge>();
  if (totalTax === 0 && productTaxRate > 0) {
    // Amazon reported no tax (e.g. EU merchant-fulfilled orders without Amazon's VAT calculation): the buyer paid the
    // shown price, so it is taken as gross and the shop's tax rate splits out the tax it contains.
    for (const [type, gross] of base) {
      const tax = roundUnits((gross * productTaxRate) / (100 + productTaxRate));
      charges.set(type, { net: gross - tax, tax, gross, taxRate: productTaxRate });
    }
    return { ok: true, charges };
  }

  const itemBase = base.get('ITEM') ?? 0;
  const itemTax = taxes.get('ITEM') ?? 0;
  const itemNet = taxIncluded ? itemBase - itemTax : itemBase;
  const itemRate = resolveTaxRate(itemNet, itemTax, productTaxRate, Math.max(1, item.quantityOrdered));
  for (const [type, amount] of base) {
    const tax = taxes.get(type) ?? 0;
    const net = taxIncluded ? amount - tax : amount;
    const taxRate = type === 'ITEM' ? itemRate : resolveTaxRate(net, tax, itemRate, 1);
    charges.set(type, { net, tax, gross: net + tax, taxRate });
  }
  return { ok: true, charges };
}

/**
 * Which categories a TAX or DISCOUNT breakdown belongs to: its detailed breakdowns when Amazon sends them, otherwise
 * in proportion to the charges (all to ITEM when there is nothing else). A rest that details do not cover goes to ITEM.
 */
function attribute(
  breakdown: ProceedsBreakdown,
  base: Map<ChargeType, number>,
  decimals: number,
): Map<ChargeType, number> {
  const result = new Map<ChargeType, number>();
  const add = (type: ChargeType, amount: number) => result.set(type, (result.get(type) ?? 0) + amount);
  const total = toMinorUnits(breakdown.subtotal.amount, decimals) ?? 0;
  const details = breakdown.detailedBreakdowns ?? [];
  if (details.length > 0) {
    for (const detail of details) {
      add(chargeType(detail.subtype), detail.value ? (toMinorUnits(detail.value.amount, decimals) ?? 0) : 0);
    }
  } else {
    const positive = [...base.entries()].filter(([, amount]) => amount > 0);
    const weightTotal = sum(positive.map(([, amount]) => amount));
    for (const [type, amount] of positive) {
      if (type !== 'ITEM') add(type, roundUnits((total * amount) / weightTotal));
    }
  }
  const rest = total - sum([...result.values()]);
  if (rest !== 0) add('ITEM', rest);
  return result;
}

function chargeType(subtype: string | undefined): ChargeType {
  return (CHARGE_TYPES as readonly string[]).includes(subtype ?? '') ? (subtype as ChargeType) : 'ITEM';
}

/** The shop's tax rate when Amazon's tax matches it (within rounding); otherwise the rate Amazon actually applied. */
function resolveTaxRate(net: number, tax: number, candidate: number, tolerance: number): number {
  if (net === 0) return tax === 0 ? candidate : 0;
  if (Math.abs(roundUnits((net * candidate) / 100) - tax) <= tolerance) return candidate;
  return Math.round((tax / net) * 10_000) / 100;
}

function pricedPart(charges: Charge[], inStatus: (charge: { net: number; gross: number }) => number): PricedPart {
  const taxes = new Map<number, { tax: number; price: number }>();
  for (const charge of charges) {
    const entry = taxes.get(charge.taxRate) ?? { tax: 0, price: 0 };
    entry.tax += charge.tax;
    entry.price += inStatus(charge);
    taxes.set(charge.taxRate, entry);
  }
  const net = sum(charges.map((charge) => charge.net));
  const gross = sum(charges.map((charge) => charge.gross));
  return { total: inStatus({ net, gross }), net, gross, taxes };
}

function calculatedPrice(part: PricedPart, quantity: number, decimals: number): CalculatedPrice {
  return {
    // Amazon's line total is authoritative; the unit price is its share, rounded, when the total does not divide evenly.
    unitPrice: toAmount(roundUnits(part.total / quantity), decimals),
    quantity,
    totalPrice: toAmount(part.total, decimals),
    calculatedTaxes: taxList(part.taxes, decimals),
    taxRules: taxRules(part.taxes),
    referencePrice: null,
    listPrice: null,
    regulationPrice: null,
  };
}

function mergeTaxes(parts: PricedPart[]): Map<number, { tax: number; price: number }> {
  const merged = new Map<number, { tax: number; price: number }>();
  for (const part of parts) {
    for (const [rate, entry] of part.taxes) {
      const target = merged.get(rate) ?? { tax: 0, price: 0 };
      target.tax += entry.tax;
      target.price += entry.price;
      merged.set(rate, target);
    }
  }
  return merged;
}

function taxList(taxes: Map<number, { tax: number; price: number }>, decimals: number): CalculatedTax[] {
  return [...taxes.entries()]
    .sort(([a], [b]) => a - b)
    .map(([taxRate, entry]) => ({
      tax: toAmount(entry.tax, decimals),
      taxRate,
      price: toAmount(entry.price, decimals),
    }));
}

function taxRules(taxes: Map<number, { tax: number; price: number }>): TaxRule[] {
  const entries = [...taxes.entries()].sort(([a], [b]) => a - b);
  const total = sum(entries.map(([, entry]) => entry.price));
  return entries.map(([taxRate, entry]) => ({
    taxRate,
    percentage:
      total === 0 ? Math.round(10_000 / entries.length) / 100 : Math.round((entry.price / total) * 10_000) / 100,
  }));
}

function orderAddress(
  id: string,
  countryId: string,
  salutationId: string,
  name: { firstName: string; lastName: string },
  street: string,
  address: CustomerAddress,
): OrderAddressPayload {
  const extraLines = [address.addressLine1?.trim() ? address.addressLine2 : undefined, address.addressLine3]
    .map((line) => line?.trim())
    .filter((line): line is string => Boolean(line));
  const payload: OrderAddressPayload = {
    id,
    countryId,
    salutationId,
    firstName: name.firstName,
    lastName: name.lastName,
    street,
    city: (address.city ?? '').trim(),
  };
  if (address.postalCode?.trim()) payload.zipcode = address.postalCode.trim();
  if (address.companyName?.trim()) payload.company = address.companyName.trim();
  if (address.phone?.trim()) payload.phoneNumber = address.phone.trim();
  if (extraLines[0]) payload.additionalAddressLine1 = extraLines[0];
  if (extraLines[1]) payload.additionalAddressLine2 = extraLines[1];
  return payload;
}

/** "Erika Mustermann" → Erika / Mustermann; a single word is the last name ("-" as first name, which Shopware requires). */
export function splitName(fullName: string): { firstName: string; lastName: string } | null {
  const words = fullName.trim().split(/\s+/).filter(Boolean);
  if (words.length === 0) return null;
  const lastName = words.pop() as string;
  return { firstName: words.length > 0 ? words.join(' ') : '-', lastName };
}

function isoTime(value: string): string {
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? value : time.toISOString();
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
