import type { ConnectionView } from '../../server/connection/connection-service.ts';
import type { AmazonOrder } from '../../server/sync/orders/amazon-order.ts';
import { CUSTOM_FIELD_ORDER_ID } from '../../server/sync/orders/mapping.ts';
import type { FlowStatus } from '../../server/sync/status/sync-status.ts';
import { MARKETPLACES } from '../amazon/sellers.ts';
import type { Product } from '../shop/catalogue.ts';
import type { Notification, StoredOrder } from '../shop/shop-stand-in.ts';
import type { Sandbox } from '../start.ts';

/** The pieces of the sandbox the demo reads and drives. */
export type DemoParts = Pick<Sandbox, 'shop' | 'amazon' | 'listings' | 'orders' | 'clock' | 'server'>;

export interface DemoMarketplace {
  id: string;
  country: string;
  name: string;
  currency: string;
}

export interface DemoSeller {
  sellerId: string;
  name: string;
  /** true when the app holds an authorization of this seller (whatever its state); false: the seller signed in on
   * Seller Central, whom the red button would connect. */
  connected: boolean;
  marketplaces: DemoMarketplace[];
  /** The authorization as Amazon sees it (null: the seller never authorized the app). */
  amazonAuthorization: { grantedAt: string; expiresAt: string; revoked: boolean; expired: boolean } | null;
}

export interface DemoProduct {
  productNumber: string;
  name: string | null;
  stock: number | null;
  /** Gross price in the shop's default currency. */
  price: number | null;
  currency: 'EUR';
}

export interface DemoOffer {
  sku: string;
  marketplaceId: string;
  country: string;
  quantity: number | null;
  price: number | null;
  currency: string | null;
  updatedAt: string;
}

export interface DemoAmazonOrder {
  orderId: string;
  marketplaceId: string;
  country: string;
  createdTime: string;
  lastUpdatedTime: string;
  status: string;
  items: Array<{ sku: string; quantity: number }>;
  total: { amount: string; currency: string } | null;
  /** The shop order the app created from it, once imported. */
  shopOrderNumber: string | null;
}

export interface DemoShopOrder {
  id: string;
  orderNumber: string | null;
  amazonOrderId: string | null;
  state: string;
  deliveryState: string | null;
  items: Array<{ productNumber: string | null; label: string; quantity: number }>;
  total: number | null;
  currency: string | null;
  createdAt: string;
}

export interface DemoState {
  now: string;
  connection: ConnectionView;
  seller: DemoSeller;
  products: DemoProduct[];
  offers: DemoOffer[];
  amazonOrders: DemoAmazonOrder[];
  shopOrders: DemoShopOrder[];
  sync: FlowStatus[];
  /** Admin notifications the app sent to the shop, newest first. */
  notifications: Notification[];
}

/**
 * The seller the demo shows on Amazon's side: the one the app is connected to, or — before the first connection —
 * the one signed in on Seller Central, whom the red button would connect.
 */
export async function demoSeller(parts: DemoParts): Promise<{ seller: DemoSeller; connection: ConnectionView }> {
  const connection = await parts.server.connection.view(parts.shop.shopId);
  const account =
    parts.amazon.control.sellers().find((s) => s.sellerId === connection.sellingPartnerId) ??
    parts.amazon.control.signedInSeller();
  const sellerId = connection.sellingPartnerId ?? account.sellerId;
  const marketplaceIds = connection.marketplaceIds.length > 0 ? connection.marketplaceIds : account.marketplaceIds;
  const authorization = parts.amazon.control.authorizationOf(sellerId);
  return {
    connection,
    seller: {
      sellerId,
      name: account.sellerId === sellerId ? account.storeName : sellerId,
      connected: connection.sellingPartnerId !== null,
      marketplaces: marketplaceIds.flatMap((id) => {
        const marketplace = MARKETPLACES[id];
        return marketplace
          ? [
              {
                id,
                country: marketplace.countryCode,
                name: marketplace.name,
                currency: marketplace.defaultCurrencyCode,
              },
            ]
          : [];
      }),
      amazonAuthorization: authorization && {
        grantedAt: authorization.grantedAt.toISOString(),
        expiresAt: authorization.expiresAt.toISOString(),
        revoked: authorization.revoked,
        expired: authorization.expired,
      },
    },
  };
}

/** Everything the Sandbox page shows, read from the stand-ins and the app at this moment. */
export async function demoState(parts: DemoParts): Promise<DemoState> {
  const { seller, connection } = await demoSeller(parts);
  const shopOrders = [...parts.shop.orders.values()].map((order) => shopOrderView(parts, order));
  const shopOrderByAmazonId = new Map(shopOrders.flatMap((o) => (o.amazonOrderId ? [[o.amazonOrderId, o]] : [])));

  const offers = seller.marketplaces.flatMap((marketplace) =>
    parts.listings
      .skus(seller.sellerId, marketplace.id)
      .sort()
      .flatMap((sku) => {
        const held = parts.listings.heldOffer(seller.sellerId, marketplace.id, sku);
        if (!held) return [];
        return [
          {
            sku,
            marketplaceId: marketplace.id,
            country: marketplace.country,
            quantity: held.quantity,
            price: held.price?.valueWithTax ?? null,
            currency: held.price?.currency ?? null,
            updatedAt: held.updatedAt.toISOString(),
          },
        ];
      }),
  );

  const amazonOrders = parts.orders
    .listOrders(seller.sellerId)
    .sort((a, b) => b.createdTime.localeCompare(a.createdTime))
    .map((order) => amazonOrderView(order, shopOrderByAmazonId.get(order.orderId)?.orderNumber ?? null));

  return {
    now: parts.clock.now().toISOString(),
    connection,
    seller,
    products: [...parts.shop.products.values()]
      .sort((a, b) => a.productNumber.localeCompare(b.productNumber))
      .map((product) => productView(parts, product)),
    offers,
    amazonOrders,
    shopOrders: shopOrders.sort((a, b) => b.createdAt.localeCompare(a.createdAt)),
    sync: await parts.server.syncStatus.flows(parts.shop.shopId),
    notifications: [...parts.shop.notifications].reverse(),
  };
}

export function productView(parts: DemoParts, product: Product): DemoProduct {
  const defaultCurrency = parts.shop.currencies[0];
  return {
    productNumber: product.productNumber,
    name: product.name,
    stock: product.stock,
    price: product.price?.find((p) => p.currencyId === defaultCurrency?.id)?.gross ?? null,
    currency: 'EUR',
  };
}

function amazonOrderView(order: AmazonOrder, shopOrderNumber: string | null): DemoAmazonOrder {
  const marketplaceId = order.salesChannel.marketplaceId ?? '';
  const total = order.proceeds?.grandTotal;
  return {
    orderId: order.orderId,
    marketplaceId,
    country: MARKETPLACES[marketplaceId]?.countryCode ?? marketplaceId,
    createdTime: order.createdTime,
    lastUpdatedTime: order.lastUpdatedTime,
    status: order.fulfillment?.fulfillmentStatus ?? 'UNKNOWN',
    items: order.orderItems.map((item) => ({ sku: item.product.sellerSku ?? '', quantity: item.quantityOrdered })),
    total: total ? { amount: total.amount, currency: total.currencyCode } : null,
    shopOrderNumber,
  };
}

function shopOrderView(parts: DemoParts, order: StoredOrder): DemoShopOrder {
  const payload = order.payload as {
    orderNumber?: string;
    currencyId?: string;
    price?: { totalPrice?: number };
    customFields?: Record<string, unknown> | null;
    lineItems?: Array<{ label?: string; quantity?: number; good?: boolean; payload?: { productNumber?: string } }>;
  };
  const amazonOrderId = payload.customFields?.[CUSTOM_FIELD_ORDER_ID];
  return {
    id: order.id,
    orderNumber: payload.orderNumber ?? null,
    amazonOrderId: typeof amazonOrderId === 'string' ? amazonOrderId : null,
    state: order.stateMachineState,
    deliveryState: order.deliveries[0]?.state ?? null,
    items: (payload.lineItems ?? [])
      .filter((item) => item.good !== false)
      .map((item) => ({
        productNumber: item.payload?.productNumber ?? null,
        label: item.label ?? '',
        quantity: item.quantity ?? 0,
      })),
    total: payload.price?.totalPrice ?? null,
    currency: parts.shop.currencies.find((c) => c.id === payload.currencyId)?.isoCode ?? null,
    createdAt: order.createdAt,
  };
}
