import { randomBytes } from 'node:crypto';
import type { LwaClient } from '../amazon/lwa-client.ts';
import type { Region } from '../amazon/regions.ts';
import { type AuthorizationSource, getAccountWithAccessToken, type SpApiClient } from '../amazon/sp-api-client.ts';
import type { Clock } from '../clock/clock.ts';
import type { ConnectionView } from '../http/ui-contract.ts';
import type { Logger } from '../logging/logger.ts';
import type { OperatorAlarms } from '../operations/alarms.ts';
import type { AdminApi } from '../shopware/admin-api.ts';
import type { ShopRepository } from '../shopware/shop-repository.ts';
import { type AuthorizationRepository, digest } from './authorization-repository.ts';
import { daysLeft, dueReminder, type GateDecision, gate } from './lifecycle.ts';

export const STATE_LIFETIME_MS = 10 * 60_000;
const SWITCH_LIFETIME_MS = 10 * 60_000;
const INVALID_CLIENT_ALARM = 'amazon.lwa.invalid_client';

export type { ConnectionView };

export interface AmazonEndpoints {
  applicationId: string;
  redirectUri: string;
  draft: boolean;
  sellerCentralUrls: Record<Region, string>;
}

/** Told when a shop's authorization becomes usable (first connection or renewal): the sync catches up. */
export interface ConnectionListener {
  onConnected(shopId: string): Promise<void>;
}

/** How an OAuth browser step ended: a page to show the merchant in the pop-up. */
export type FlowOutcome =
  | { kind: 'connected'; shopId: string; sellerId: string; renewed: boolean }
  | { kind: 'switch_needed'; shopId: string; currentSellerId: string; newSellerId: string; switchToken: string }
  | { kind: 'refused'; status: 400 | 403 | 409 | 502; message: string };

export interface ConnectionServiceDeps {
  repository: AuthorizationRepository;
  shops: ShopRepository;
  lwa: LwaClient;
  spApi: SpApiClient;
  adminApi: AdminApi;
  alarms: OperatorAlarms;
  clock: Clock;
  logger: Logger;
  amazon: AmazonEndpoints;
  appUrl: string;
}

/**
 * The use cases of the Amazon authorization: the OAuth website flow (from the admin and from Seller Central),
 * deactivate, delete, revocation, the automatic expiry and the reminders. The rules themselves are in lifecycle.ts.
 */
export class ConnectionService implements AuthorizationSource {
  readonly #listeners: ConnectionListener[] = [];

  constructor(private readonly deps: ConnectionServiceDeps) {}

  addListener(listener: ConnectionListener) {
    this.#listeners.push(listener);
  }

  async gate(shopId: string): Promise<GateDecision> {
    const shop = await this.deps.shops.getShopById(shopId);
    const facts = await this.deps.repository.facts(shopId);
    return gate(facts, this.deps.clock.now(), { appActive: shop?.getShopActive() ?? false });
  }

  async view(shopId: string): Promise<ConnectionView> {
    const now = this.deps.clock.now();
    const facts = await this.deps.repository.facts(shopId);
    const decision = await this.gate(shopId);
    return {
      status: decision.status,
      sellingPartnerId: facts?.sellerId ?? null,
      region: facts?.region ?? null,
      marketplaceIds: facts?.marketplaceIds ?? [],
      authorizedAt: facts?.authorizedAt.toISOString() ?? null,
      expiresAt: facts?.expiresAt.toISOString() ?? null,
      daysLeft: daysLeft(facts, now),
      syncAllowed: decision.syncAllowed,
      reason: decision.reason,
      stoppedAt: decision.stoppedAt?.toISOString() ?? null,
    };
  }

  // ---- The website authorization flow ----

  /**
   * A new state for the shop (random, single use, 10 minutes). The consent URL the admin opens is our own start URL:
   * it binds the state to the browser that opened it before sending that browser on to Seller Central.
   */
  async startAuthorization(shopId: string, region: Region): Promise<{ consentUrl: string; expiresAt: string }> {
    const now = this.deps.clock.now();
    const state = randomToken();
    const expiresAt = new Date(now.getTime() + STATE_LIFETIME_MS);
    await this.deps.repository.purgeStates(new Date(now.getTime() - 24 * 3_600_000));
    await this.deps.repository.createState(state, { shopId, region, origin: 'admin', createdAt: now, expiresAt });
    return { consentUrl: `${this.deps.appUrl}/amazon/oauth/start?state=${state}`, expiresAt: expiresAt.toISOString() };
  }

  /** The start URL was opened: remember this browser (by a nonce in a cookie) and send it to Seller Central. */
  async beginInBrowser(
    state: string,
  ): Promise<{ ok: true; browserNonce: string; sellerCentralUrl: string } | { ok: false; message: string }> {
    const now = this.deps.clock.now();
    const stored = await this.deps.repository.findState(state);
    if (stored?.origin !== 'admin')
      return {
        ok: false,
        message: 'This authorization link is not valid. Start again from your Shopware administration.',
      };
    const browserNonce = randomToken();
    if (!(await this.deps.repository.bindBrowser(state, digest(browserNonce), now))) {
      return {
        ok: false,
        message:
          'This authorization link has expired or was already opened. Start again from your Shopware administration.',
      };
    }
    return { ok: true, browserNonce, sellerCentralUrl: this.#consentUrl(stored.region, state) };
  }

  #consentUrl(region: Region, state: string): string {
    const url = new URL(`${this.deps.amazon.sellerCentralUrls[region]}/apps/authorize/consent`);
    url.searchParams.set('application_id', this.deps.amazon.applicationId);
    url.searchParams.set('state', state);
    url.searchParams.set('redirect_uri', this.deps.amazon.redirectUri);
    if (this.deps.amazon.draft) url.searchParams.set('version', 'beta');
    return url.toString();
  }

  /**
   * Seller Central's Login URI (renewals started in "Manage your apps"): find the shop connected to this seller,
   * issue a state for it bound to this browser, and send the browser back to Amazon with it.
   */
  async loginFromSellerCentral(params: {
    amazonCallbackUri: string;
    amazonState: string;
    sellerId: string;
  }): Promise<{ ok: true; redirect: string; browserNonce: string } | { ok: false; message: string }> {
    const callback = safeUrl(params.amazonCallbackUri);
    const allowed = Object.values(this.deps.amazon.sellerCentralUrls).some((base) =>
      callback?.href.startsWith(`${base}/`),
    );
    if (!callback || !allowed) return { ok: false, message: 'The request did not come from Amazon Seller Central.' };
    const shopIds = await this.deps.repository.shopIdsOfSeller(params.sellerId);
    if (shopIds.length !== 1) {
      return {
        ok: false,
        message:
          shopIds.length === 0
            ? 'No Shopware shop is connected to this Amazon account yet. Start the authorization from your Shopware administration (Settings > Amazon > Access data).'
            : 'Several Shopware shops are connected to this Amazon account. Renew the token from the administration of the shop you mean (Settings > Amazon > Access data).',
      };
    }
    const shopId = shopIds[0] as string;
    const facts = await this.deps.repository.facts(shopId);
    const now = this.deps.clock.now();
    const state = randomToken();
    const browserNonce = randomToken();
    await this.deps.repository.createState(state, {
      shopId,
      region: facts?.region ?? 'eu',
      origin: 'seller_central',
      browserHash: digest(browserNonce),
      createdAt: now,
      expiresAt: new Date(now.getTime() + STATE_LIFETIME_MS),
    });
    callback.searchParams.set('amazon_state', params.amazonState);
    callback.searchParams.set('state', state);
    if (this.deps.amazon.draft) callback.searchParams.set('version', 'beta');
    return { ok: true, redirect: callback.toString(), browserNonce };
  }

  /** Amazon's redirect back: check the state and browser, exchange the code, check the account, store or ask. */
  async completeAuthorization(params: {
    state: string;
    code: string;
    sellerId: string;
    browserNonce: string | null;
  }): Promise<FlowOutcome> {
    const now = this.deps.clock.now();
    const stored = await this.deps.repository.findState(params.state);
    if (!stored)
      return refused(
        400,
        'This authorization is unknown. Start again from your Shopware administration (Settings > Amazon > Access data).',
      );
    if (stored.usedAt)
      return refused(400, 'This authorization was already completed. Start again if you want to renew the token.');
    if (stored.expiresAt.getTime() <= now.getTime())
      return refused(
        400,
        'This authorization took longer than 10 minutes and has expired. Start again from your Shopware administration.',
      );
    if (!stored.browserHash || !params.browserNonce || digest(params.browserNonce) !== stored.browserHash) {
      return refused(
        400,
        'This authorization was started in another browser or for another shop. Start again from the administration of your shop.',
      );
    }
    if (!(await this.deps.repository.consumeState(params.state, now))) {
      return refused(400, 'This authorization was already completed. Start again if you want to renew the token.');
    }
    const shop = await this.deps.shops.getShopById(stored.shopId);
    if (!shop) return refused(400, 'The shop of this authorization no longer uses AmazonBridge.');

    const tokens = await this.deps.lwa.exchangeCode(params.code, this.deps.amazon.redirectUri);
    if (!tokens.ok) {
      if (tokens.kind === 'invalid_client') {
        this.reportInvalidClient(tokens.message);
        return refused(
          502,
          'Amazon refused the app’s credentials. The AmazonBridge operator has been alerted; please try again later.',
        );
      }
      if (tokens.kind === 'unavailable')
        return refused(502, 'Amazon could not be reached. Please try again in a few minutes.');
      return refused(
        400,
        'Amazon did not accept the authorization code: it is only valid for 5 minutes and only once. Start again from your Shopware administration.',
      );
    }
    this.clearInvalidClient();
    const account = await getAccountWithAccessToken(this.deps.spApi, stored.region, tokens.value.accessToken);
    if (!account.ok) {
      return refused(502, 'Amazon did not tell us about your selling account. Please try again in a few minutes.');
    }
    if (account.account.sellingPlan !== 'PROFESSIONAL') {
      return refused(
        403,
        'Amazon only lets apps connect to sellers on the Professional selling plan. Upgrade your selling plan in Seller Central, then renew the token.',
      );
    }
    const authorization = {
      sellerId: params.sellerId,
      region: stored.region,
      marketplaceIds: account.account.marketplaceIds,
      refreshToken: tokens.value.refreshToken,
    };
    const current = await this.deps.repository.facts(stored.shopId);
    if (current && current.sellerId !== params.sellerId) {
      const switchToken = randomToken();
      await this.deps.repository.createSwitch(
        switchToken,
        { shopId: stored.shopId, ...authorization, expiresAt: new Date(now.getTime() + SWITCH_LIFETIME_MS) },
        now,
      );
      await this.deps.repository.recordHistory(stored.shopId, 'seller_switch_requested', params.sellerId, now, {
        currentSellerId: current.sellerId,
      });
      return {
        kind: 'switch_needed',
        shopId: stored.shopId,
        currentSellerId: current.sellerId,
        newSellerId: params.sellerId,
        switchToken,
      };
    }
    await this.#store(stored.shopId, authorization, current !== null);
    return { kind: 'connected', shopId: stored.shopId, sellerId: params.sellerId, renewed: current !== null };
  }

  /** The merchant confirmed (or declined) connecting the shop to a different Amazon seller. */
  async decideSellerSwitch(token: string, confirm: boolean): Promise<FlowOutcome> {
    const now = this.deps.clock.now();
    const pending = await this.deps.repository.takeSwitch(token, now);
    if (!pending)
      return refused(
        400,
        'This confirmation has expired or was already used. Start again from your Shopware administration.',
      );
    if (!confirm) {
      await this.deps.repository.recordHistory(pending.shopId, 'seller_switch_declined', pending.sellerId, now);
      return refused(409, 'Nothing was changed: the shop stays connected to its current Amazon account.');
    }
    const { shopId, expiresAt: _expiresAt, ...authorization } = pending;
    await this.#store(shopId, authorization, true, 'seller_switched');
    return { kind: 'connected', shopId, sellerId: pending.sellerId, renewed: true };
  }

  async #store(
    shopId: string,
    authorization: { sellerId: string; region: Region; marketplaceIds: string[]; refreshToken: string },
    renewal: boolean,
    event = renewal ? 'renewed' : 'authorized',
  ) {
    const now = this.deps.clock.now();
    await this.deps.repository.save(shopId, { ...authorization, authorizedAt: now });
    await this.deps.repository.recordHistory(shopId, event, authorization.sellerId, now, {
      region: authorization.region,
    });
    this.deps.logger.info({ shop: { shopId }, sellerId: authorization.sellerId, event }, 'Amazon authorization stored');
    for (const listener of this.#listeners) {
      await listener
        .onConnected(shopId)
        .catch((error: unknown) =>
          this.deps.logger.error(
            { shop: { shopId }, err: error instanceof Error ? error.message : String(error) },
            'connection listener failed',
          ),
        );
    }
  }

  // ---- Merchant actions ----

  async deactivate(shopId: string): Promise<{ ok: true } | { ok: false; message: string }> {
    const now = this.deps.clock.now();
    const facts = await this.deps.repository.facts(shopId);
    if (!(await this.deps.repository.deactivate(shopId, now))) {
      return {
        ok: false,
        message: facts
          ? 'The authorization is not running, so there is nothing to deactivate.'
          : 'Amazon is not connected.',
      };
    }
    await this.deps.repository.recordHistory(shopId, 'deactivated', facts?.sellerId ?? null, now);
    await this.#remind(shopId);
    return { ok: true };
  }

  /** Delete destroys the stored token; the shop is not connected afterwards. */
  async remove(shopId: string): Promise<{ ok: true } | { ok: false; message: string }> {
    const now = this.deps.clock.now();
    const facts = await this.deps.repository.facts(shopId);
    if (!(await this.deps.repository.remove(shopId))) return { ok: false, message: 'Amazon is not connected.' };
    await this.deps.repository.recordHistory(shopId, 'deleted', facts?.sellerId ?? null, now);
    return { ok: true };
  }

  // ---- AuthorizationSource: the gate and credentials for the SP-API client ----

  async currentAuthorization(shopId: string) {
    const decision = await this.gate(shopId);
    if (!decision.syncAllowed) return { ok: false as const, reason: decision.reason ?? 'Syncing is not allowed.' };
    const facts = await this.deps.repository.facts(shopId);
    const refreshToken = await this.deps.repository.refreshToken(shopId);
    if (!facts || !refreshToken) return { ok: false as const, reason: 'Amazon is not connected.' };
    return { ok: true as const, sellerId: facts.sellerId, region: facts.region, refreshToken };
  }

  async markRevoked(shopId: string, sellerId: string): Promise<void> {
    const now = this.deps.clock.now();
    // A token refused at or after the end of its year has expired; Amazon says invalid_grant for both. A call that
    // passed the gate just before the expiry can meet this before the sweep has recorded it.
    const facts = await this.deps.repository.facts(shopId);
    if (facts?.sellerId === sellerId && now.getTime() >= facts.expiresAt.getTime()) {
      if (await this.#recordExpiry(shopId, facts, now)) await this.#remind(shopId);
      return;
    }
    if (await this.deps.repository.revoke(shopId, sellerId, now)) {
      await this.deps.repository.recordHistory(shopId, 'revoked', sellerId, now);
      this.deps.logger.warn({ shop: { shopId }, sellerId }, 'Amazon revoked the authorization (invalid_grant)');
      await this.#remind(shopId);
    }
  }

  reportInvalidClient(message: string): void {
    if (
      this.deps.alarms.raise(
        INVALID_CLIENT_ALARM,
        `Login with Amazon rejected the app's client credentials: ${message} Rotate AMAZON_LWA_CLIENT_SECRET.`,
        this.deps.clock.now(),
      )
    ) {
      this.deps.logger.error(
        { alarm: INVALID_CLIENT_ALARM },
        'Amazon LWA rejected the client credentials (invalid_client); sellers are left untouched',
      );
    }
  }

  clearInvalidClient(): void {
    this.deps.alarms.clear(INVALID_CLIENT_ALARM);
  }

  // ---- The scheduled sweep: automatic expiry and reminders ----

  /** Records expiries and sends due reminders for every shop; safe to run from several workers at once. */
  async sweep(): Promise<{ expired: number; reminded: number }> {
    let expired = 0;
    let reminded = 0;
    for (const shopId of await this.deps.repository.shopIdsWithAuthorization()) {
      const now = this.deps.clock.now();
      const facts = await this.deps.repository.facts(shopId);
      if (facts && now.getTime() >= facts.expiresAt.getTime() && (await this.#recordExpiry(shopId, facts, now)))
        expired++;
      if (await this.#remind(shopId)) reminded++;
    }
    return { expired, reminded };
  }

  /** Records the expiry of an authorization whose year is over, once however many workers try. */
  async #recordExpiry(shopId: string, facts: { sellerId: string; expiresAt: Date }, now: Date): Promise<boolean> {
    if (!(await this.deps.repository.recordExpiry(shopId, now))) return false;
    await this.deps.repository.recordHistory(shopId, 'expired', facts.sellerId, facts.expiresAt, {
      recordedAt: now.toISOString(),
    });
    return true;
  }

  async #remind(shopId: string): Promise<boolean> {
    const shop = await this.deps.shops.getShopById(shopId);
    if (!shop?.getShopActive()) return false;
    const now = this.deps.clock.now();
    const reminder = dueReminder(await this.deps.repository.facts(shopId), now);
    if (!reminder || !(await this.deps.repository.claimReminder(shopId, reminder.key, reminder.kind, now)))
      return false;
    if (await this.deps.adminApi.notify(shopId, { status: reminder.severity, message: reminder.message })) {
      await this.deps.repository.reminderSent(shopId, reminder.key, now);
      return true;
    }
    await this.deps.repository.releaseReminder(shopId, reminder.key);
    return false;
  }
}

function refused(status: 400 | 403 | 409 | 502, message: string): FlowOutcome {
  return { kind: 'refused', status, message };
}

function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

function safeUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
