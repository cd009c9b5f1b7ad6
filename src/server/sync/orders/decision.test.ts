import { describe, expect, it } from 'vitest';
import type { AmazonOrder, FulfilledBy, FulfillmentStatus } from './amazon-order.ts';
import { DEFAULT_ORDER_IMPORT_CONFIG, decideOrderAction } from './decision.ts';

function order(status: FulfillmentStatus | undefined, fulfilledBy: FulfilledBy = 'MERCHANT'): AmazonOrder {
  return {
    orderId: '302-0000001-0000001',
    createdTime: '2026-03-01T10:00:00Z',
    lastUpdatedTime: '2026-03-01T10:00:00Z',
    salesChannel: { channelName: 'AMAZON', marketplaceId: 'A1PA6795UKMFR9' },
    orderItems: [],
    ...(status ? { fulfillment: { fulfillmentStatus: status, fulfilledBy } } : {}),
  };
}

describe('what an Amazon order means for the shop', () => {
  it('creates a merchant-fulfilled order that is ready to ship, to be shipped and confirmed from the shop', () => {
    expect(decideOrderAction(order('UNSHIPPED'), null)).toEqual({
      kind: 'create',
      handling: { fulfilledBy: 'MERCHANT', deliveryShipped: false, reduceStock: true, confirmShipmentToAmazon: true },
    });
  });

  it('creates a merchant-fulfilled order that Amazon already shows as shipped as shipped, without confirming again', () => {
    expect(decideOrderAction(order('SHIPPED'), null)).toMatchObject({
      kind: 'create',
      handling: { deliveryShipped: true, reduceStock: true, confirmShipmentToAmazon: false },
    });
  });

  it('imports FBA orders as shipped and leaves the stock alone unless configured', () => {
    expect(decideOrderAction(order('UNSHIPPED', 'AMAZON'), null)).toEqual({
      kind: 'create',
      handling: { fulfilledBy: 'AMAZON', deliveryShipped: true, reduceStock: false, confirmShipmentToAmazon: false },
    });
    const reducing = { ...DEFAULT_ORDER_IMPORT_CONFIG, reduceStockForAmazonFulfilled: true };
    expect(decideOrderAction(order('SHIPPED', 'AMAZON'), null, reducing)).toMatchObject({
      kind: 'create',
      handling: { reduceStock: true },
    });
    const skipping = { ...DEFAULT_ORDER_IMPORT_CONFIG, importAmazonFulfilled: false };
    expect(decideOrderAction(order('SHIPPED', 'AMAZON'), null, skipping)).toEqual({
      kind: 'ignore',
      reason: 'amazon_fulfilled_not_imported',
    });
  });

  it('waits for pending orders until Amazon has authorized the payment', () => {
    expect(decideOrderAction(order('PENDING'), null)).toEqual({ kind: 'ignore', reason: 'pending' });
    expect(decideOrderAction(order('PENDING_AVAILABILITY'), null)).toEqual({ kind: 'ignore', reason: 'pending' });
  });

  it('does not create orders that were cancelled or cannot be fulfilled before the shop saw them', () => {
    expect(decideOrderAction(order('CANCELLED'), null)).toEqual({ kind: 'ignore', reason: 'cancelled_before_import' });
    expect(decideOrderAction(order('UNFULFILLABLE', 'AMAZON'), null)).toEqual({
      kind: 'ignore',
      reason: 'unfulfillable',
    });
  });

  it('cancels an imported order that Amazon cancelled, once', () => {
    expect(decideOrderAction(order('CANCELLED'), { status: 'UNSHIPPED' })).toEqual({ kind: 'cancel' });
    expect(decideOrderAction(order('CANCELLED'), { status: 'CANCELLED' })).toEqual({
      kind: 'ignore',
      reason: 'unchanged',
    });
  });

  it('reports other status changes of imported orders as updates and ignores repeats', () => {
    expect(decideOrderAction(order('SHIPPED'), { status: 'UNSHIPPED' })).toEqual({
      kind: 'update',
      status: 'SHIPPED',
      previousStatus: 'UNSHIPPED',
    });
    expect(decideOrderAction(order('UNSHIPPED'), { status: 'UNSHIPPED' })).toEqual({
      kind: 'ignore',
      reason: 'unchanged',
    });
  });

  it('parks an order fetched without its fulfillment data instead of guessing', () => {
    const action = decideOrderAction(order(undefined), null);
    expect(action.kind).toBe('park');
    expect(action.kind === 'park' && action.reason).toMatch(/includedData=FULFILLMENT/);
  });
});
