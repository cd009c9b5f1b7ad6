import { describe, expect, it } from 'vitest';
import { OrdersStandIn } from '../../../sandbox/amazon/orders.ts';
import { UsagePlanLimiter } from '../../../sandbox/amazon/rate-limits.ts';
import { AdjustableClock } from '../../clock/clock.ts';
import type { AmazonOrder, OrderItem, ProceedsBreakdown } from './amazon-order.ts';
import { DEFAULT_ORDER_IMPORT_CONFIG, type FulfillmentHandling, fulfillmentHandling } from './decision.ts';
import {
  CUSTOM_FIELD_ORDER_ID,
  mapAmazonOrder,
  type OrderMappingResult,
  type OrderShopFacts,
  splitName,
} from './mapping.ts';
import { shopwareOrderId } from './order-ids.ts';
import type { ShopwareOrderPayload } from './shopware-order.ts';

const EUR = (amount: string) => ({ amount, currencyCode: 'EUR' });
const rounding = { decimals: 2, interval: 0.01, roundForNet: true };

const shop: OrderShopFacts = {
  shopId: 'shop-1',
  salesChannelId: 'sc00000000000000000000000000000a',
  languageId: 'la00000000000000000000000000000a',
  paymentMethodId: 'pm00000000000000000000000000000a',
  shippingMethodId: 'sm00000000000000000000000000000a',
  salutationId: 'sa00000000000000000000000000000a',
  currencies: [
    {
      id: 'cu0000000000000000000000000000eu',
      isoCode: 'EUR',
      factor: 1,
      itemRounding: rounding,
      totalRounding: rounding,
    },
    {
      id: 'cu0000000000000000000000000000jp',
      isoCode: 'JPY',
      factor: 160,
      itemRounding: { decimals: 0, interval: 1, roundForNet: true },
      totalRounding: { decimals: 0, interval: 1, roundForNet: true },
    },
  ],
  countryIds: {
    DE: 'co0000000000000000000000000000de',
    FR: 'co0000000000000000000000000000fr',
    JP: 'co00000000000000000000000000000jp',
  },
  products: {
    'MUG-BLUE': { id: 'pr000000000000000000000000000001', productNumber: 'MUG-BLUE', taxId: 'tx19', taxRate: 19 },
    'TEA-500': { id: 'pr000000000000000000000000000002', productNumber: 'TEA-500', taxId: 'tx07', taxRate: 7 },
  },
  stateIds: {
    order: 'st-order-open',
    transaction: 'st-transaction-paid',
    delivery: 'st-delivery-open',
    deliveryShipped: 'st-delivery-shipped',
  },
};

const merchant: FulfillmentHandling = {
  fulfilledBy: 'MERCHANT',
  deliveryShipped: false,
  reduceStock: true,
  confirmShipmentToAmazon: true,
};

/** An item the way the Orders API model's examples show it: TAX on top of ITEM and SHIPPING. */
function item(
  id: string,
  sku: string,
  quantity: number,
  unit: string,
  amounts: { item: string; shipping?: string; itemTax: string; shippingTax?: string; total: string },
  currency = EUR,
): OrderItem {
  const breakdowns: ProceedsBreakdown[] = [{ type: 'ITEM', subtotal: currency(amounts.item) }];
  if (amounts.shipping) breakdowns.push({ type: 'SHIPPING', subtotal: currency(amounts.shipping) });
  const taxDetails = [{ subtype: 'ITEM', value: currency(amounts.itemTax) }];
  if (amounts.shippingTax) taxDetails.push({ subtype: 'SHIPPING', value: currency(amounts.shippingTax) });
  const taxTotal = (Number(amounts.itemTax) + Number(amounts.shippingTax ?? '0')).toFixed(
    currency('0').currencyCode === 'JPY' ? 0 : 2,
  );
  breakdowns.push({ type: 'TAX', subtotal: currency(taxTotal), detailedBreakdowns: taxDetails });
  return {
    orderItemId: id,
    quantityOrdered: quantity,
    product: { asin: `B0${id}`, title: `Title of ${sku}`, sellerSku: sku, price: { unitPrice: currency(unit) } },
    proceeds: { proceedsTotal: currency(amounts.total), breakdowns },
  };
}

function germanOrder(overrides: Partial<AmazonOrder> = {}): AmazonOrder {
  return {
    orderId: '302-1111111-2222222',
    createdTime: '2026-03-01T10:15:00Z',
    lastUpdatedTime: '2026-03-01T10:20:00Z',
    salesChannel: { channelName: 'AMAZON', marketplaceId: 'A1PA6795UKMFR9', marketplaceName: 'Amazon.de' },
    buyer: { buyerName: 'Erika Mustermann', buyerEmail: 'abc123@marketplace.amazon.de' },
    recipient: {
      deliveryAddress: {
        name: 'Erika Mustermann',
        addressLine1: 'Heidestraße 17',
        addressLine2: 'Hinterhaus',
        city: 'Köln',
        postalCode: '51147',
        countryCode: 'DE',
        phone: '+49 221 1234567',
      },
    },
    fulfillment: {
      fulfillmentStatus: 'UNSHIPPED',
      fulfilledBy: 'MERCHANT',
      shipByWindow: { earliestDateTime: '2026-03-01T10:15:00Z', latestDateTime: '2026-03-03T22:59:59Z' },
    },
    orderItems: [
      // 2 × 10.00 net + 3.80 VAT (19 %), shipping 4.20 net + 0.80 VAT
      item('11111111111111', 'MUG-BLUE', 2, '10.00', {
        item: '20.00',
        shipping: '4.20',
        itemTax: '3.80',
        shippingTax: '0.80',
        total: '28.80',
      }),
      // 1 × 5.00 net + 0.35 VAT (7 %)
      item('22222222222222', 'TEA-500', 1, '5.00', { item: '5.00', itemTax: '0.35', total: '5.35' }),
    ],
    ...overrides,
  };
}

function payloadOf(result: OrderMappingResult): ShopwareOrderPayload {
  if (!result.ok) throw new Error(`expected a payload, got ${result.reason.code}: ${result.reason.message}`);
  return result.payload;
}

describe('mapping an Amazon order to a Shopware order', () => {
  it('creates a complete gross order at Amazon’s prices and taxes', () => {
    const payload = payloadOf(mapAmazonOrder(germanOrder(), shop, { handling: merchant, orderNumber: '10042' }));

    expect(payload.id).toBe(shopwareOrderId('shop-1', '302-1111111-2222222'));
    expect(payload.orderNumber).toBe('10042');
    expect(payload).toMatchObject({
      salesChannelId: shop.salesChannelId,
      languageId: shop.languageId,
      currencyId: 'cu0000000000000000000000000000eu',
      currencyFactor: 1,
      orderDateTime: '2026-03-01T10:15:00.000Z',
      stateId: 'st-order-open',
      itemRounding: rounding,
      totalRounding: rounding,
    });
    // Amazon: items 25.00 + shipping 4.20 + tax 4.95 = 34.15
    expect(payload.price).toEqual({
      netPrice: 29.2,
      totalPrice: 34.15,
      positionPrice: 29.15,
      rawTotal: 34.15,
      taxStatus: 'gross',
      calculatedTaxes: [
        { tax: 0.35, taxRate: 7, price: 5.35 },
        { tax: 4.6, taxRate: 19, price: 28.8 },
      ],
      taxRules: [
        { taxRate: 7, percentage: 15.67 },
        { taxRate: 19, percentage: 84.33 },
      ],
    });
    expect(payload.shippingCosts).toEqual({
      unitPrice: 5,
      quantity: 1,
      totalPrice: 5,
      calculatedTaxes: [{ tax: 0.8, taxRate: 19, price: 5 }],
      taxRules: [{ taxRate: 19, percentage: 100 }],
      referencePrice: null,
      listPrice: null,
      regulationPrice: null,
    });

    const [mug, tea] = payload.lineItems;
    expect(mug).toMatchObject({
      type: 'product',
      identifier: 'pr000000000000000000000000000001',
      referencedId: 'pr000000000000000000000000000001',
      productId: 'pr000000000000000000000000000001',
      quantity: 2,
      label: 'Title of MUG-BLUE',
      position: 1,
      good: true,
      states: ['is-physical'],
      price: {
        unitPrice: 11.9,
        quantity: 2,
        totalPrice: 23.8,
        calculatedTaxes: [{ tax: 3.8, taxRate: 19, price: 23.8 }],
        taxRules: [{ taxRate: 19, percentage: 100 }],
      },
      priceDefinition: {
        type: 'quantity',
        price: 11.9,
        quantity: 2,
        taxRules: [{ taxRate: 19, percentage: 100 }],
        isCalculated: true,
      },
      payload: { productNumber: 'MUG-BLUE', taxId: 'tx19', amazonOrderItemId: '11111111111111', amazonSku: 'MUG-BLUE' },
    });
    expect(tea?.price).toMatchObject({
      unitPrice: 5.35,
      totalPrice: 5.35,
      calculatedTaxes: [{ tax: 0.35, taxRate: 7, price: 5.35 }],
    });

    expect(payload.transactions).toEqual([
      expect.objectContaining({
        paymentMethodId: shop.paymentMethodId,
        stateId: 'st-transaction-paid',
        amount: expect.objectContaining({ unitPrice: 34.15, totalPrice: 34.15, quantity: 1 }),
      }),
    ]);
    const [delivery] = payload.deliveries;
    expect(delivery).toMatchObject({
      stateId: 'st-delivery-open',
      shippingMethodId: shop.shippingMethodId,
      shippingOrderAddressId: payload.billingAddressId,
      shippingDateEarliest: '2026-03-01T10:15:00.000Z',
      shippingDateLatest: '2026-03-03T22:59:59.000Z',
      trackingCodes: [],
    });
    expect(delivery?.positions.map((position) => position.orderLineItemId)).toEqual([mug?.id, tea?.id]);
  });

  it('creates a guest buyer and one address that serves for billing and delivery', () => {
    const payload = payloadOf(mapAmazonOrder(germanOrder(), shop, { handling: merchant }));
    expect(payload.orderCustomer).toMatchObject({
      email: 'abc123@marketplace.amazon.de',
      firstName: 'Erika',
      lastName: 'Mustermann',
      salutationId: shop.salutationId,
    });
    expect(payload.addresses).toEqual([
      {
        id: payload.billingAddressId,
        countryId: 'co0000000000000000000000000000de',
        salutationId: shop.salutationId,
        firstName: 'Erika',
        lastName: 'Mustermann',
        street: 'Heidestraße 17',
        additionalAddressLine1: 'Hinterhaus',
        zipcode: '51147',
        city: 'Köln',
        phoneNumber: '+49 221 1234567',
      },
    ]);
    expect(payload.orderNumber).toBeUndefined();
  });

  it('shows the Amazon order id on the order and makes Amazon orders filterable', () => {
    const payload = payloadOf(mapAmazonOrder(germanOrder(), shop, { handling: merchant }));
    expect(payload.customFields[CUSTOM_FIELD_ORDER_ID]).toBe('302-1111111-2222222');
    expect(payload.customerComment).toBe('Amazon order 302-1111111-2222222 (Amazon.de, fulfilled by the merchant)');
    expect(payload.affiliateCode).toBe('amazon');
    expect(payload.campaignCode).toBe('Amazon.de');
  });

  it('produces the same payload, ids included, every time it maps the same order', () => {
    const first = mapAmazonOrder(germanOrder(), shop, { handling: merchant });
    expect(mapAmazonOrder(germanOrder(), shop, { handling: merchant })).toEqual(first);
  });

  it('writes net prices with the tax on top for a net shop', () => {
    const payload = payloadOf(mapAmazonOrder(germanOrder(), { ...shop, taxStatus: 'net' }, { handling: merchant }));
    expect(payload.price).toMatchObject({ netPrice: 29.2, totalPrice: 34.15, positionPrice: 25, taxStatus: 'net' });
    expect(payload.lineItems[0]?.price).toMatchObject({
      unitPrice: 10,
      totalPrice: 20,
      calculatedTaxes: [{ tax: 3.8, taxRate: 19, price: 20 }],
    });
    expect(payload.shippingCosts).toMatchObject({
      totalPrice: 4.2,
      calculatedTaxes: [{ tax: 0.8, taxRate: 19, price: 4.2 }],
    });
  });

  it('reads tax-inclusive item amounts when the proceeds total shows the tax is contained', () => {
    const order = germanOrder({
      orderItems: [
        {
          orderItemId: '33333333333333',
          quantityOrdered: 1,
          product: { sellerSku: 'MUG-BLUE', price: { unitPrice: EUR('11.90') } },
          proceeds: {
            proceedsTotal: EUR('11.90'),
            breakdowns: [
              { type: 'ITEM', subtotal: EUR('11.90') },
              { type: 'TAX', subtotal: EUR('1.90') },
            ],
          },
        },
      ],
    });
    const payload = payloadOf(mapAmazonOrder(order, shop, { handling: merchant }));
    expect(payload.price).toMatchObject({
      totalPrice: 11.9,
      netPrice: 10,
      calculatedTaxes: [{ tax: 1.9, taxRate: 19, price: 11.9 }],
    });
  });

  it('splits the shop’s tax out of the paid price when Amazon reports no tax', () => {
    const order = germanOrder({
      orderItems: [
        {
          orderItemId: '44444444444444',
          quantityOrdered: 1,
          product: { sellerSku: 'MUG-BLUE', price: { unitPrice: EUR('11.90') } },
          proceeds: {
            proceedsTotal: EUR('16.85'),
            breakdowns: [
              { type: 'ITEM', subtotal: EUR('11.90') },
              { type: 'SHIPPING', subtotal: EUR('4.95') },
              { type: 'TAX', subtotal: EUR('0.00') },
            ],
          },
        },
      ],
    });
    const payload = payloadOf(mapAmazonOrder(order, shop, { handling: merchant }));
    expect(payload.price).toMatchObject({
      totalPrice: 16.85,
      netPrice: 14.16,
      calculatedTaxes: [{ tax: 2.69, taxRate: 19, price: 16.85 }],
    });
    expect(payload.shippingCosts).toMatchObject({
      totalPrice: 4.95,
      calculatedTaxes: [{ tax: 0.79, taxRate: 19, price: 4.95 }],
    });
  });

  it('keeps the rate Amazon charged when it differs from the shop’s (EU one-stop shop: French VAT)', () => {
    const order = germanOrder({
      recipient: {
        deliveryAddress: {
          name: 'Marie Dupont',
          addressLine1: '12 Rue de Rivoli',
          city: 'Paris',
          postalCode: '75001',
          countryCode: 'FR',
        },
      },
      orderItems: [item('55555555555555', 'MUG-BLUE', 1, '10.00', { item: '10.00', itemTax: '2.00', total: '12.00' })],
    });
    const payload = payloadOf(mapAmazonOrder(order, shop, { handling: merchant }));
    expect(payload.lineItems[0]?.price.calculatedTaxes).toEqual([{ tax: 2, taxRate: 20, price: 12 }]);
    expect(payload.addresses[0]?.countryId).toBe('co0000000000000000000000000000fr');
  });

  it('keeps Amazon’s line total when it does not divide evenly by the quantity', () => {
    const order = germanOrder({
      orderItems: [item('66666666666666', 'MUG-BLUE', 3, '3.33', { item: '10.00', itemTax: '1.90', total: '11.90' })],
    });
    const payload = payloadOf(mapAmazonOrder(order, shop, { handling: merchant }));
    expect(payload.lineItems[0]?.price).toMatchObject({ unitPrice: 3.97, quantity: 3, totalPrice: 11.9 });
    expect(payload.price.totalPrice).toBe(11.9);
  });

  it('turns discounts into lower prices and gift wrap into its own line', () => {
    const order = germanOrder({
      orderItems: [
        {
          orderItemId: '77777777777777',
          quantityOrdered: 1,
          product: { sellerSku: 'MUG-BLUE', price: { unitPrice: EUR('20.00') } },
          proceeds: {
            // 20.00 − 2.00 discount + 3.00 gift wrap, tax 19 % on each: 3.42 + 0.57
            proceedsTotal: EUR('24.99'),
            breakdowns: [
              { type: 'ITEM', subtotal: EUR('20.00') },
              { type: 'GIFT_WRAP', subtotal: EUR('3.00') },
              {
                type: 'DISCOUNT',
                subtotal: EUR('-2.00'),
                detailedBreakdowns: [{ subtype: 'ITEM', value: EUR('-2.00') }],
              },
              {
                type: 'TAX',
                subtotal: EUR('3.99'),
                detailedBreakdowns: [
                  { subtype: 'ITEM', value: EUR('3.42') },
                  { subtype: 'GIFT_WRAP', value: EUR('0.57') },
                ],
              },
            ],
          },
        },
      ],
    });
    const payload = payloadOf(mapAmazonOrder(order, shop, { handling: merchant }));
    expect(payload.lineItems.map((line) => [line.label, line.type, line.price.totalPrice])).toEqual([
      ['MUG-BLUE', 'product', 21.42],
      ['Gift wrap (Amazon)', 'custom', 3.57],
    ]);
    expect(payload.price.totalPrice).toBe(24.99);
    expect(payload.deliveries[0]?.positions).toHaveLength(1);
  });

  it('handles currencies without minor unit', () => {
    const JPY = (amount: string) => ({ amount, currencyCode: 'JPY' });
    const order = germanOrder({
      salesChannel: { channelName: 'AMAZON', marketplaceId: 'A1VC38T7YXB528', marketplaceName: 'Amazon.co.jp' },
      recipient: {
        deliveryAddress: {
          name: 'Taro Yamada',
          addressLine1: '1-1 Chiyoda',
          city: 'Tokyo',
          postalCode: '100-0001',
          countryCode: 'JP',
        },
      },
      orderItems: [
        {
          orderItemId: '88888888888888',
          quantityOrdered: 2,
          product: { sellerSku: 'TEA-500', price: { unitPrice: JPY('1000') } },
          proceeds: {
            proceedsTotal: JPY('2160'),
            breakdowns: [
              { type: 'ITEM', subtotal: JPY('2000') },
              { type: 'TAX', subtotal: JPY('160') },
            ],
          },
        },
      ],
    });
    const payload = payloadOf(mapAmazonOrder(order, shop, { handling: merchant }));
    expect(payload.currencyId).toBe('cu0000000000000000000000000000jp');
    expect(payload.currencyFactor).toBe(160);
    expect(payload.price).toMatchObject({
      totalPrice: 2160,
      netPrice: 2000,
      calculatedTaxes: [{ tax: 160, taxRate: 8, price: 2160 }],
    });
  });

  it('imports an FBA order as shipped, with lines that leave the stock alone, and a placeholder email', () => {
    const order = germanOrder({
      buyer: { buyerName: 'Erika Mustermann' },
      fulfillment: { fulfillmentStatus: 'SHIPPED', fulfilledBy: 'AMAZON' },
    });
    const handling = fulfillmentHandling(order, DEFAULT_ORDER_IMPORT_CONFIG);
    const payload = payloadOf(mapAmazonOrder(order, shop, { handling }));
    expect(payload.deliveries[0]?.stateId).toBe('st-delivery-shipped');
    expect(payload.lineItems.map((line) => line.type)).toEqual(['custom', 'custom']);
    expect(payload.lineItems[0]?.productId).toBe('pr000000000000000000000000000001');
    expect(payload.orderCustomer.email).toBe('302-1111111-2222222@amazon-buyer.invalid');
    expect(payload.customerComment).toContain('fulfilled by Amazon');
    expect(payload.deliveries[0]?.shippingDateEarliest).toBe('2026-03-01T10:15:00.000Z');
  });

  it('parks an order with an unknown SKU and names every missing SKU', () => {
    const order = germanOrder();
    order.orderItems.push(
      item('99999999999999', 'GHOST-1', 1, '1.00', { item: '1.00', itemTax: '0.19', total: '1.19' }),
    );
    order.orderItems.push(
      item('99999999999998', 'GHOST-2', 1, '1.00', { item: '1.00', itemTax: '0.19', total: '1.19' }),
    );
    const result = mapAmazonOrder(order, shop, { handling: merchant });
    expect(result).toMatchObject({ ok: false, reason: { code: 'unknown_sku', skus: ['GHOST-1', 'GHOST-2'] } });
    expect(!result.ok && result.reason.message).toMatch(/GHOST-1, GHOST-2.*302-1111111-2222222/);
  });

  it('parks an order in a currency the shop does not have', () => {
    const USD = (amount: string) => ({ amount, currencyCode: 'USD' });
    const order = germanOrder({
      orderItems: [
        item('12121212121212', 'MUG-BLUE', 1, '10.00', { item: '10.00', itemTax: '0.73', total: '10.73' }, USD),
      ],
    });
    expect(mapAmazonOrder(order, shop, { handling: merchant })).toMatchObject({
      ok: false,
      reason: { code: 'unsupported_currency', message: expect.stringContaining('USD') },
    });
  });

  it('parks an order without a usable delivery address or with a country the shop lacks', () => {
    expect(mapAmazonOrder(germanOrder({ recipient: undefined }), shop, { handling: merchant })).toMatchObject({
      ok: false,
      reason: { code: 'missing_address' },
    });
    const noStreet = germanOrder({ recipient: { deliveryAddress: { name: 'A B', city: 'Köln', countryCode: 'DE' } } });
    expect(mapAmazonOrder(noStreet, shop, { handling: merchant })).toMatchObject({
      ok: false,
      reason: { code: 'missing_address' },
    });
    const swiss = germanOrder({
      recipient: {
        deliveryAddress: { name: 'A B', addressLine1: 'Bahnhofstrasse 1', city: 'Zürich', countryCode: 'CH' },
      },
    });
    expect(mapAmazonOrder(swiss, shop, { handling: merchant })).toMatchObject({
      ok: false,
      reason: { code: 'unknown_country', message: expect.stringContaining('CH') },
    });
  });

  it('parks an order fetched without its proceeds, or whose amounts do not add up', () => {
    const withoutProceeds = germanOrder();
    for (const line of withoutProceeds.orderItems) delete line.proceeds;
    expect(mapAmazonOrder(withoutProceeds, shop, { handling: merchant })).toMatchObject({
      ok: false,
      reason: { code: 'missing_amounts', message: expect.stringContaining('PROCEEDS') },
    });
    const inconsistent = germanOrder({
      orderItems: [item('13131313131313', 'MUG-BLUE', 1, '10.00', { item: '10.00', itemTax: '1.90', total: '15.00' })],
    });
    expect(mapAmazonOrder(inconsistent, shop, { handling: merchant })).toMatchObject({
      ok: false,
      reason: { code: 'inconsistent_amounts' },
    });
  });

  it('splits full names into first and last name', () => {
    expect(splitName('  Anna  Maria Schmidt ')).toEqual({ firstName: 'Anna Maria', lastName: 'Schmidt' });
    expect(splitName('Cher')).toEqual({ firstName: '-', lastName: 'Cher' });
    expect(splitName('   ')).toBeNull();
  });

  it('maps what the Amazon stand-in serves to an order whose total is Amazon’s grand total', () => {
    const clock = new AdjustableClock({ frozenAt: new Date('2026-03-01T10:00:00Z') });
    const amazon = new OrdersStandIn({ clock, limiter: new UsagePlanLimiter(clock) });
    const orders = [
      amazon.createOrder('A1SELLER', {
        items: [
          { sku: 'MUG-BLUE', quantity: 3, unitPrice: '8.40' },
          { sku: 'TEA-500', quantity: 2, unitPrice: '4.67', taxRate: 7 },
        ],
        shippingPrice: '3.95',
      }),
      amazon.createOrder('A1SELLER', { fulfilledBy: 'AMAZON', items: [{ sku: 'TEA-500', taxRate: 7 }] }),
    ];
    for (const order of orders) {
      for (const taxStatus of ['gross', 'net'] as const) {
        const handling = fulfillmentHandling(order, DEFAULT_ORDER_IMPORT_CONFIG);
        const payload = payloadOf(mapAmazonOrder(order, { ...shop, taxStatus }, { handling }));
        expect(payload.price.totalPrice).toBe(Number(order.proceeds?.grandTotal?.amount));
        const taxes = payload.price.calculatedTaxes.reduce((total, tax) => total + tax.tax, 0);
        expect(payload.price.netPrice + taxes).toBeCloseTo(payload.price.totalPrice, 10);
      }
    }
  });
});
