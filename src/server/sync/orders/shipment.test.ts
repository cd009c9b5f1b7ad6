import { describe, expect, it } from 'vitest';
import { loadSpApiModel } from '../../../../tests/contract/spapi-validator.ts';
import type { OrderItem } from './amazon-order.ts';
import {
  carrierFor,
  decideShipment,
  type ImportedAmazonOrder,
  packageReferenceId,
  type ShopDelivery,
} from './shipment.ts';

const v0 = loadSpApiModel('ordersV0.json');
const shipDate = new Date('2026-03-02T09:30:00.000Z');

const item = (orderItemId: string, quantityOrdered: number): OrderItem => ({
  orderItemId,
  quantityOrdered,
  product: { sellerSku: `SKU-${orderItemId}` },
});

const order: ImportedAmazonOrder = {
  amazonOrderId: '302-1234567-7654321',
  marketplaceId: 'A1PA6795UKMFR9',
  confirmShipment: true,
  amazonStatus: 'UNSHIPPED',
  items: [item('52000000001000', 2), item('52000000001001', 1), item('52000000001002', 0)],
};

const delivery: ShopDelivery = {
  id: '0b7d2f4c8e1a4a6f9d3c2b1a0f9e8d7c',
  state: 'shipped',
  trackingCodes: [' 00340434161094042557 '],
  shippingMethodName: 'DHL Paket',
};

describe('confirming a shop delivery on Amazon', () => {
  it('sends carrier, tracking number and every ordered item under a package id derived from the delivery', () => {
    const decision = decideShipment(order, delivery, null, shipDate);
    expect(decision).toEqual({
      kind: 'confirm',
      request: {
        marketplaceId: 'A1PA6795UKMFR9',
        packageDetail: {
          packageReferenceId: packageReferenceId(delivery.id),
          carrierCode: 'DHL',
          shippingMethod: 'DHL Paket',
          trackingNumber: '00340434161094042557',
          shipDate: '2026-03-02T09:30:00.000Z',
          orderItems: [
            { orderItemId: '52000000001000', quantity: 2 },
            { orderItemId: '52000000001001', quantity: 1 },
          ],
        },
      },
    });
    if (decision.kind !== 'confirm') throw new Error('expected a confirmation');
    expect(v0.validateRequestBody('confirmShipment', decision.request).errors).toEqual([]);
  });

  it('derives the same positive package reference for the same delivery, every time', () => {
    const id = packageReferenceId(delivery.id);
    expect(id).toMatch(/^[1-9]\d*$/);
    expect(packageReferenceId(delivery.id.toUpperCase())).toBe(id);
    expect(packageReferenceId('another-delivery')).not.toBe(id);
  });

  it('names well-known carriers by Amazon’s code and any other by name', () => {
    expect(carrierFor('DHL Express')).toEqual({ carrierCode: 'DHL' });
    expect(carrierFor('Deutsche Post Warenpost')).toEqual({ carrierCode: 'Deutsche Post' });
    expect(carrierFor('dpd classic')).toEqual({ carrierCode: 'DPD' });
    expect(carrierFor('Royal Mail Tracked 24')).toEqual({ carrierCode: 'Royal Mail' });
    expect(carrierFor('Standard')).toEqual({ carrierCode: 'Other', carrierName: 'Standard' });
    expect(carrierFor(null)).toEqual({ carrierCode: 'Other', carrierName: 'Other' });
  });

  it('is not sent twice for the same tracking number, but again when the tracking number changes', () => {
    const confirmed = { state: 'confirmed' as const, trackingNumber: '00340434161094042557', carrierCode: 'DHL' };
    expect(decideShipment(order, delivery, confirmed, shipDate)).toEqual({ kind: 'skip', reason: 'already_confirmed' });
    const changed = decideShipment(order, { ...delivery, trackingCodes: ['NEW123'] }, confirmed, shipDate);
    expect(changed).toMatchObject({ kind: 'confirm', request: { packageDetail: { trackingNumber: 'NEW123' } } });
    const failedBefore = { ...confirmed, state: 'failed' as const };
    expect(decideShipment(order, delivery, failedBefore, shipDate).kind).toBe('confirm');
  });

  it('leaves deliveries alone that are not shipped, only partly shipped, or shipped by Amazon', () => {
    expect(decideShipment(order, { ...delivery, state: 'open' }, null, shipDate)).toEqual({
      kind: 'skip',
      reason: 'not_shipped',
    });
    expect(decideShipment(order, { ...delivery, state: 'shipped_partially' }, null, shipDate)).toEqual({
      kind: 'skip',
      reason: 'partially_shipped',
    });
    expect(decideShipment({ ...order, confirmShipment: false }, delivery, null, shipDate)).toEqual({
      kind: 'skip',
      reason: 'amazon_ships',
    });
    expect(decideShipment({ ...order, amazonStatus: 'SHIPPED' }, delivery, null, shipDate)).toEqual({
      kind: 'skip',
      reason: 'already_shipped_on_amazon',
    });
  });

  it('tells the merchant what is missing instead of sending what Amazon would refuse', () => {
    const noTracking = decideShipment(order, { ...delivery, trackingCodes: [' '] }, null, shipDate);
    expect(noTracking).toEqual({ kind: 'fail', message: expect.stringContaining('has no tracking number') });
    const cancelled = decideShipment({ ...order, amazonStatus: 'CANCELLED' }, delivery, null, shipDate);
    expect(cancelled).toEqual({ kind: 'fail', message: expect.stringContaining('was cancelled on Amazon') });
  });
});
