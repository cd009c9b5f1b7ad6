import type { AmazonOrder, FulfilledBy, FulfillmentStatus } from './amazon-order.ts';

/** How the merchant wants Amazon-fulfilled (FBA, "AFN") orders treated; merchant-fulfilled (MFN) ones are always imported. */
export interface OrderImportConfig {
  /** Import FBA orders at all (for bookkeeping and a complete order list in the shop). */
  importAmazonFulfilled: boolean;
  /** Reduce shop stock for FBA orders too — only when the shop's stock also counts the goods stored at Amazon. */
  reduceStockForAmazonFulfilled: boolean;
}

export const DEFAULT_ORDER_IMPORT_CONFIG: OrderImportConfig = {
  importAmazonFulfilled: true,
  reduceStockForAmazonFulfilled: false,
};

/** What the shop order looks like when it is created. */
export interface FulfillmentHandling {
  fulfilledBy: FulfilledBy;
  /** The delivery starts as shipped: Amazon ships FBA orders, and an MFN order may already be shipped when first seen. */
  deliveryShipped: boolean;
  /** Product line items reduce the shop's stock. */
  reduceStock: boolean;
  /** The shop's shipment must be confirmed back to Amazon (merchant-fulfilled, not yet shipped on Amazon). */
  confirmShipmentToAmazon: boolean;
}

/** The Amazon status last recorded for an order that already exists in the shop. */
export interface ImportedOrder {
  status: FulfillmentStatus;
}

export type IgnoreReason =
  /** Payment not yet authorized (PENDING, PENDING_AVAILABILITY): Amazon says not to ship; it is imported once UNSHIPPED. */
  | 'pending'
  | 'cancelled_before_import'
  /** UNFULFILLABLE: an FBA multi-channel order that will never ship. */
  | 'unfulfillable'
  | 'amazon_fulfilled_not_imported'
  | 'unchanged';

export type OrderAction =
  | { kind: 'create'; handling: FulfillmentHandling }
  | { kind: 'cancel' }
  | { kind: 'update'; status: FulfillmentStatus; previousStatus: FulfillmentStatus }
  | { kind: 'ignore'; reason: IgnoreReason }
  /** Not decidable from what Amazon sent; keep the order visible with this message and retry. */
  | { kind: 'park'; reason: string };

export function fulfillmentHandling(order: AmazonOrder, config: OrderImportConfig): FulfillmentHandling {
  const fulfilledBy: FulfilledBy = order.fulfillment?.fulfilledBy === 'AMAZON' ? 'AMAZON' : 'MERCHANT';
  if (fulfilledBy === 'AMAZON') {
    return {
      fulfilledBy,
      deliveryShipped: true,
      reduceStock: config.reduceStockForAmazonFulfilled,
      confirmShipmentToAmazon: false,
    };
  }
  const shipped = order.fulfillment?.fulfillmentStatus === 'SHIPPED';
  return { fulfilledBy, deliveryShipped: shipped, reduceStock: true, confirmShipmentToAmazon: !shipped };
}

/**
 * Decides what an Amazon order seen by the import means for the shop. `imported` is null when the shop has no order
 * for it yet. The order must have been fetched with the FULFILLMENT dataset: its status drives everything here.
 */
export function decideOrderAction(
  order: AmazonOrder,
  imported: ImportedOrder | null,
  config: OrderImportConfig = DEFAULT_ORDER_IMPORT_CONFIG,
): OrderAction {
  const status = order.fulfillment?.fulfillmentStatus;
  if (!status) {
    return {
      kind: 'park',
      reason: `Amazon sent order ${order.orderId} without a fulfillment status (request includedData=FULFILLMENT)`,
    };
  }

  if (imported) {
    if (status === imported.status) return { kind: 'ignore', reason: 'unchanged' };
    if (status === 'CANCELLED') return { kind: 'cancel' };
    return { kind: 'update', status, previousStatus: imported.status };
  }

  switch (status) {
    case 'PENDING':
    case 'PENDING_AVAILABILITY':
      return { kind: 'ignore', reason: 'pending' };
    case 'CANCELLED':
      return { kind: 'ignore', reason: 'cancelled_before_import' };
    case 'UNFULFILLABLE':
      return { kind: 'ignore', reason: 'unfulfillable' };
    case 'UNSHIPPED':
    case 'PARTIALLY_SHIPPED':
    case 'SHIPPED': {
      const handling = fulfillmentHandling(order, config);
      if (handling.fulfilledBy === 'AMAZON' && !config.importAmazonFulfilled) {
        return { kind: 'ignore', reason: 'amazon_fulfilled_not_imported' };
      }
      return { kind: 'create', handling };
    }
  }
}
