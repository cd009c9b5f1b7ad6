import { Hono } from 'hono';
import { quotaExceededBody, USAGE_PLANS, type UsagePlan, type UsagePlanLimiter } from './rate-limits.ts';
import { REGIONS, type Region, type SpApiEnv } from './sp-api.ts';

export type SellingPlan = 'PROFESSIONAL' | 'INDIVIDUAL';
export const SELLING_PLANS: readonly SellingPlan[] = ['PROFESSIONAL', 'INDIVIDUAL'];

/** An Amazon marketplace as the Sellers API describes it, plus the SP-API region that serves it. */
export interface Marketplace {
  id: string;
  name: string;
  countryCode: string;
  defaultCurrencyCode: string;
  defaultLanguageCode: string;
  domainName: string;
  region: Region;
}

function marketplace(
  region: Region,
  id: string,
  countryCode: string,
  domain: string,
  defaultCurrencyCode: string,
  defaultLanguageCode: string,
): Marketplace {
  return {
    id,
    name: `Amazon.${domain}`,
    countryCode,
    defaultCurrencyCode,
    defaultLanguageCode,
    domainName: `www.amazon.${domain}`,
    region,
  };
}

/** Amazon's marketplace ids (developer-docs.amazon.com/sp-api/docs/marketplace-ids), keyed by id. */
export const MARKETPLACES: Readonly<Record<string, Marketplace>> = Object.fromEntries(
  [
    marketplace('na', 'ATVPDKIKX0DER', 'US', 'com', 'USD', 'en_US'),
    marketplace('na', 'A2EUQ1WTGCTBG2', 'CA', 'ca', 'CAD', 'en_CA'),
    marketplace('na', 'A1AM78C64UM0Y8', 'MX', 'com.mx', 'MXN', 'es_MX'),
    marketplace('na', 'A2Q3Y263D00KWC', 'BR', 'com.br', 'BRL', 'pt_BR'),
    marketplace('eu', 'A1PA6795UKMFR9', 'DE', 'de', 'EUR', 'de_DE'),
    marketplace('eu', 'A13V1IB3VIYZZH', 'FR', 'fr', 'EUR', 'fr_FR'),
    marketplace('eu', 'APJ6JRA9NG5V4', 'IT', 'it', 'EUR', 'it_IT'),
    marketplace('eu', 'A1RKKUPIHCS9HS', 'ES', 'es', 'EUR', 'es_ES'),
    marketplace('eu', 'A1805IZSGTT6HS', 'NL', 'nl', 'EUR', 'nl_NL'),
    marketplace('eu', 'AMEN7PMS3EDWL', 'BE', 'com.be', 'EUR', 'fr_BE'),
    marketplace('eu', 'A28R8C7NBKEWEA', 'IE', 'ie', 'EUR', 'en_IE'),
    marketplace('eu', 'A1F83G8C2ARO7P', 'GB', 'co.uk', 'GBP', 'en_GB'),
    marketplace('eu', 'A2NODRKZP88ZB9', 'SE', 'se', 'SEK', 'sv_SE'),
    marketplace('eu', 'A1C3SOZRARQ6R3', 'PL', 'pl', 'PLN', 'pl_PL'),
    marketplace('eu', 'A33AVAJ2PDY3EV', 'TR', 'com.tr', 'TRY', 'tr_TR'),
    marketplace('eu', 'A2VIGQ35RCS4UG', 'AE', 'ae', 'AED', 'en_AE'),
    marketplace('eu', 'A17E79C6D8DWNP', 'SA', 'sa', 'SAR', 'ar_AE'),
    marketplace('eu', 'ARBP9OOSHTCHU', 'EG', 'eg', 'EGP', 'en_AE'),
    marketplace('eu', 'A21TJRUUN4KGV', 'IN', 'in', 'INR', 'en_IN'),
    marketplace('eu', 'AE08WJ6YKNBMC', 'ZA', 'co.za', 'ZAR', 'en_ZA'),
    marketplace('fe', 'A1VC38T7YXB528', 'JP', 'co.jp', 'JPY', 'ja_JP'),
    marketplace('fe', 'A39IBJ37TRP1C6', 'AU', 'com.au', 'AUD', 'en_AU'),
    marketplace('fe', 'A19VAU5U5O7RUS', 'SG', 'sg', 'SGD', 'en_SG'),
  ].map((m) => [m.id, m]),
);

/** DE, FR, IT, ES, NL: the pan-EU set a German seller typically lists in. */
export const EU_CORE_MARKETPLACE_IDS = [
  'A1PA6795UKMFR9',
  'A13V1IB3VIYZZH',
  'APJ6JRA9NG5V4',
  'A1RKKUPIHCS9HS',
  'A1805IZSGTT6HS',
];

export interface NewSeller {
  /** The merchant token Amazon calls `selling_partner_id`, e.g. `A2Q8OS6DZ3KE7N`. */
  sellerId: string;
  region: Region;
  marketplaceIds: string[];
  sellingPlan: SellingPlan;
  /** The registered business name; the store name shown in the marketplaces defaults to it. */
  name?: string;
}

export interface SellerAccount extends Required<NewSeller> {
  storeName: string;
}

/** The seller Seller Central shows as signed in until a test or the demo signs in as someone else. */
export const DEFAULT_SELLER: NewSeller = {
  sellerId: 'A2Q8OS6DZ3KE7N',
  region: 'eu',
  marketplaceIds: EU_CORE_MARKETPLACE_IDS,
  sellingPlan: 'PROFESSIONAL',
  name: 'Musterhandel GmbH',
};

/** Something a control call named does not exist in the sandbox (answered 404 over HTTP). */
export class NotInSandboxError extends Error {}

/** Merchant tokens are upper-case letters and digits, starting with A. */
const SELLER_ID = /^A[0-9A-Z]{7,19}$/;

/** Amazon's seller accounts as the stand-ins know them. */
export class SellerDirectory {
  readonly #sellers = new Map<string, SellerAccount>();

  add(seller: NewSeller): SellerAccount {
    if (!SELLER_ID.test(seller.sellerId)) {
      throw new Error(
        `"${seller.sellerId}" is not a selling partner id (A followed by 7-19 capital letters or digits)`,
      );
    }
    if (this.#sellers.has(seller.sellerId)) throw new Error(`seller ${seller.sellerId} exists already`);
    if (!REGIONS.includes(seller.region)) throw new Error(`unknown region "${seller.region}" (na, eu or fe)`);
    if (!SELLING_PLANS.includes(seller.sellingPlan)) {
      throw new Error(`unknown selling plan "${seller.sellingPlan}" (PROFESSIONAL or INDIVIDUAL)`);
    }
    if (seller.marketplaceIds.length === 0) throw new Error('a seller participates in at least one marketplace');
    for (const id of seller.marketplaceIds) {
      const known = MARKETPLACES[id];
      if (!known) throw new Error(`unknown marketplace id ${id}`);
      if (known.region !== seller.region) {
        throw new Error(
          `marketplace ${id} (${known.countryCode}) belongs to region ${known.region}, not ${seller.region}`,
        );
      }
    }
    const name = seller.name ?? `Seller ${seller.sellerId}`;
    const account: SellerAccount = {
      ...seller,
      marketplaceIds: [...new Set(seller.marketplaceIds)],
      name,
      storeName: name,
    };
    this.#sellers.set(account.sellerId, account);
    return account;
  }

  get(sellerId: string): SellerAccount | undefined {
    return this.#sellers.get(sellerId);
  }

  require(sellerId: string): SellerAccount {
    const seller = this.#sellers.get(sellerId);
    if (!seller) throw new NotInSandboxError(`no seller ${sellerId} in the sandbox`);
    return seller;
  }

  setSellingPlan(sellerId: string, plan: SellingPlan): SellerAccount {
    if (!SELLING_PLANS.includes(plan)) throw new Error(`unknown selling plan "${plan}" (PROFESSIONAL or INDIVIDUAL)`);
    const seller = this.require(sellerId);
    seller.sellingPlan = plan;
    return seller;
  }

  list(): SellerAccount[] {
    return [...this.#sellers.values()];
  }
}

/** Usage plans of the Sellers API operations the stand-in serves beyond the shared USAGE_PLANS. */
export const SELLERS_USAGE_PLANS = {
  getMarketplaceParticipations: { ratePerSecond: 0.016, burst: 15 },
} as const satisfies Record<string, UsagePlan>;

function participations(seller: SellerAccount) {
  return seller.marketplaceIds.map((id) => {
    const { region: _region, ...marketplace } = MARKETPLACES[id] as Marketplace;
    return {
      marketplace,
      storeName: seller.storeName,
      participation: { isParticipating: true, hasSuspendedListings: false },
    };
  });
}

/** The sandbox's getAccount payload: what Amazon returns for a private limited company with a registered address. */
export function accountPayload(seller: SellerAccount) {
  const home = MARKETPLACES[seller.marketplaceIds[0] as string] as Marketplace;
  const address = {
    addressLine1: 'Sandboxstraße 1',
    city: 'Berlin',
    postalCode: '10115',
    countryCode: home.countryCode,
  };
  return {
    marketplaceParticipationList: participations(seller),
    businessType: 'PRIVATE_LIMITED',
    sellingPlan: seller.sellingPlan,
    business: { name: seller.name, registeredBusinessAddress: address },
    primaryContact: { name: 'Alex Example', address },
  };
}

/**
 * Sellers API v1 routes (`getAccount`, `getMarketplaceParticipations`), to be mounted under `/spapi/:region`
 * behind the access-token middleware. Each call takes a token from the seller's usage plan first.
 */
export function sellersRoutes(directory: SellerDirectory, limiter: UsagePlanLimiter): Hono<SpApiEnv> {
  const routes = new Hono<SpApiEnv>();
  const headers = (plan: UsagePlan) => ({
    'x-amzn-RequestId': crypto.randomUUID(),
    'x-amzn-RateLimit-Limit': String(plan.ratePerSecond),
  });

  routes.get('/sellers/v1/account', (c) => {
    if (!limiter.tryTake(c.var.sellerId, 'getAccount')) {
      return c.json(quotaExceededBody(), 429, { 'x-amzn-RequestId': crypto.randomUUID() });
    }
    const seller = directory.require(c.var.sellerId);
    return c.json({ payload: accountPayload(seller) }, 200, headers(USAGE_PLANS.getAccount));
  });

  routes.get('/sellers/v1/marketplaceParticipations', (c) => {
    if (!limiter.tryTake(c.var.sellerId, 'getMarketplaceParticipations')) {
      return c.json(quotaExceededBody(), 429, { 'x-amzn-RequestId': crypto.randomUUID() });
    }
    const seller = directory.require(c.var.sellerId);
    return c.json({ payload: participations(seller) }, 200, headers(SELLERS_USAGE_PLANS.getMarketplaceParticipations));
  });

  return routes;
}
