import { HttpClient, type HttpClientTokenCacheInterface } from '@shopware-ag/app-server-sdk';
import type { Logger } from '../logging/logger.ts';
import type { ShopRepository } from './shop-repository.ts';

export type NotificationStatus = 'neutral' | 'info' | 'attention' | 'critical' | 'positive';

/**
 * The shop's Admin API, through the SDK's client: it fetches a client-credentials token with the integration
 * credentials Shopware gave at registration and caches it until shortly before it expires.
 */
export class AdminApi {
  constructor(
    private readonly shops: ShopRepository,
    private readonly tokenCache: HttpClientTokenCacheInterface,
    private readonly logger: Logger,
  ) {}

  async clientFor(shopId: string): Promise<HttpClient | null> {
    const shop = await this.shops.getShopById(shopId);
    if (!shop?.getShopClientId() || !shop.getShopClientSecret()) return null;
    return new HttpClient(shop, this.tokenCache, 15_000);
  }

  /** An admin notification (bell icon); false when the shop could not be reached, so the caller can retry later. */
  async notify(shopId: string, notification: { status: NotificationStatus; message: string }): Promise<boolean> {
    const client = await this.clientFor(shopId);
    if (!client) return false;
    try {
      await client.post('/notification', { ...notification, adminOnly: true, requiredPrivileges: [] });
      return true;
    } catch (error) {
      this.logger.warn(
        { shop: { shopId }, err: error instanceof Error ? error.message : String(error) },
        'admin notification failed',
      );
      return false;
    }
  }
}
