/**
 * The parts of Amazon's Orders API v2026-01-01 `Order` (searchOrders, getOrder) that the bridge reads or the stand-in
 * serves. Field names and optionality follow ../shared/specs/spapi/orders_2026-01-01.json; amounts are Amazon's
 * `Decimal` strings. Everything outside the always-present core arrives only when the matching `includedData` dataset
 * was requested (BUYER → buyer, RECIPIENT → recipient, PROCEEDS → proceeds, FULFILLMENT → fulfillment, ...).
 */

export const FULFILLMENT_STATUSES = [
  'PENDING_AVAILABILITY',
  'PENDING',
  'UNSHIPPED',
  'PARTIALLY_SHIPPED',
  'SHIPPED',
  'CANCELLED',
  'UNFULFILLABLE',
] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

export const FULFILLED_BY = ['MERCHANT', 'AMAZON'] as const;
export type FulfilledBy = (typeof FULFILLED_BY)[number];

export const INCLUDED_DATA = [
  'BUYER',
  'RECIPIENT',
  'PROCEEDS',
  'EXPENSE',
  'PROMOTION',
  'CANCELLATION',
  'FULFILLMENT',
  'PACKAGES',
  'TAX',
  'PAYMENT',
  'FULFILLMENT_ORDERS',
] as const;
export type IncludedData = (typeof INCLUDED_DATA)[number];

/** What the order import asks for: the datasets the Shopware mapping and the status decision read. */
export const IMPORT_INCLUDED_DATA: readonly IncludedData[] = ['BUYER', 'RECIPIENT', 'PROCEEDS', 'FULFILLMENT'];

export interface Money {
  amount: string;
  currencyCode: string;
}

export interface DateTimeRange {
  earliestDateTime?: string;
  latestDateTime?: string;
}

export interface SalesChannel {
  channelName: string;
  marketplaceId?: string;
  marketplaceName?: string;
}

export interface Buyer {
  buyerName?: string;
  buyerEmail?: string;
  buyerCompanyName?: string;
  buyerPurchaseOrderNumber?: string;
}

export interface CustomerAddress {
  name?: string;
  companyName?: string;
  addressLine1?: string;
  addressLine2?: string;
  addressLine3?: string;
  city?: string;
  districtOrCounty?: string;
  stateOrRegion?: string;
  municipality?: string;
  postalCode?: string;
  countryCode?: string;
  phone?: string;
  addressType?: string;
}

export interface Recipient {
  deliveryAddress?: CustomerAddress;
}

export interface ProceedsBreakdown {
  /** ITEM, SHIPPING, GIFT_WRAP, COD_FEE, TAX, DISCOUNT, DELIVERY_TIP (order level only), OTHER. */
  type: string;
  status?: string;
  subtotal: Money;
  /** Only for TAX and DISCOUNT: the part of the subtotal that belongs to ITEM, SHIPPING, GIFT_WRAP, ... */
  detailedBreakdowns?: { subtype?: string; value?: Money }[];
}

export interface OrderProceeds {
  grandTotal?: Money;
  breakdowns?: ProceedsBreakdown[];
}

export interface ItemProceeds {
  proceedsTotal?: Money;
  breakdowns?: ProceedsBreakdown[];
}

export interface OrderFulfillment {
  fulfillmentStatus: FulfillmentStatus;
  fulfilledBy?: FulfilledBy;
  fulfillmentServiceLevel?: string;
  shipByWindow?: DateTimeRange;
  deliverByWindow?: DateTimeRange;
}

export interface ItemFulfillment {
  quantityFulfilled?: number;
  quantityUnfulfilled?: number;
}

export interface ItemCancellation {
  cancellationRequest?: { requester?: string; cancelReason?: string };
  cancellationExecution?: { cancelledBy?: string; cancelReason?: string };
}

export interface ItemProduct {
  asin?: string;
  title?: string;
  sellerSku?: string;
  condition?: { conditionType?: string; conditionSubtype?: string; conditionNote?: string };
  price?: { unitPrice?: Money; priceDesignation?: string };
}

export interface OrderItem {
  orderItemId: string;
  quantityOrdered: number;
  programs?: string[];
  product: ItemProduct;
  proceeds?: ItemProceeds;
  promotion?: { breakdowns?: { promotionId?: string }[] };
  cancellation?: ItemCancellation;
  fulfillment?: ItemFulfillment;
}

export interface OrderPackage {
  packageReferenceId: string;
  createdTime?: string;
  packageStatus?: { status: string; detailedStatus?: string };
  carrier?: string;
  shipTime?: string;
  shippingService?: string;
  trackingNumber?: string;
  packageItems?: { orderItemId: string; quantity: number }[];
}

export interface AmazonOrder {
  orderId: string;
  orderAliases?: { aliasId: string; aliasType: string }[];
  createdTime: string;
  lastUpdatedTime: string;
  programs?: string[];
  salesChannel: SalesChannel;
  buyer?: Buyer;
  recipient?: Recipient;
  proceeds?: OrderProceeds;
  fulfillment?: OrderFulfillment;
  orderItems: OrderItem[];
  packages?: OrderPackage[];
}

export interface SearchOrdersResponse {
  orders: AmazonOrder[];
  pagination?: { nextToken?: string };
  lastUpdatedBefore?: string;
  createdBefore?: string;
}

export interface GetOrderResponse {
  order: AmazonOrder;
}

/** v0 `confirmShipment` request body (ConfirmShipmentRequest in ordersV0.json). */
export interface ConfirmShipmentRequest {
  marketplaceId: string;
  codCollectionMethod?: 'DirectPayment';
  packageDetail: {
    packageReferenceId: string;
    carrierCode: string;
    carrierName?: string;
    shippingMethod?: string;
    trackingNumber: string;
    shipDate: string;
    shipFromSupplySourceId?: string;
    orderItems: { orderItemId: string; quantity: number; transparencyCodes?: string[] }[];
  };
}
