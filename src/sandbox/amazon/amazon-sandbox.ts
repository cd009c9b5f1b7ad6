import { Hono } from 'hono';
import { z } from 'zod';
import type { Clock } from '../../server/clock/clock.ts';
import {
  AuthorizationServer,
  type AuthorizationView,
  authorizationRoutes,
  CONSENT_PATH,
  callbackUri,
  type RegisteredApplication,
} from './authorization.ts';
import { USAGE_PLANS, UsagePlanLimiter } from './rate-limits.ts';
import {
  DEFAULT_SELLER,
  type NewSeller,
  NotInSandboxError,
  SELLERS_USAGE_PLANS,
  type SellerAccount,
  SellerDirectory,
  type SellingPlan,
  sellersRoutes,
} from './sellers.ts';
import { type RecordedSpApiRequest, type SpApiEnv, spApiAccessTokenMiddleware, spApiError } from './sp-api.ts';

export interface AmazonSandboxOptions {
  /** Every expiry (codes, access tokens, the authorization year, usage plans) is decided on this clock. */
  clock: Clock;
  /** Absolute URL where `routes` is mounted, e.g. `http://127.0.0.1:8080/sandbox/amazon`. */
  publicUrl: string;
  application: RegisteredApplication;
  /** Passed to the UsagePlanLimiter: > 1 refills buckets faster. */
  timeScale?: number;
  /** Further SP-API route groups (listings, feeds, orders), mounted under `/spapi/:region` behind the token check. */
  spApiRoutes?: Array<Hono<SpApiEnv>>;
}

export interface AmazonSandboxControl {
  addSeller(seller: NewSeller): SellerAccount;
  sellers(): SellerAccount[];
  /** Whose Seller Central session the consent page shows. */
  signInAs(sellerId: string): SellerAccount;
  signedInSeller(): SellerAccount;
  setSellingPlan(sellerId: string, plan: SellingPlan): SellerAccount;
  /** The seller removed the app in Seller Central: refresh answers invalid_grant, access tokens are refused. */
  revokeAuthorization(sellerId: string): AuthorizationView;
  /** The developer generated a new LWA client secret: the old one now gets 401 invalid_client. */
  rotateClientSecret(newSecret: string): void;
  /** The seller re-authorizes from Seller Central: the Login-URI URL Amazon opens (single-use amazon_state). */
  startSellerCentralAuthorization(sellerId: string): string;
  authorizationOf(sellerId: string): AuthorizationView | null;
  /** The consent URL an app would open, for demos and tests. */
  consentUrl(params: { state: string; redirectUri?: string; version?: 'beta' }): string;
}

export interface AmazonSandbox {
  /** Mount with `app.route('/sandbox/amazon', sandbox.routes)`. */
  routes: Hono;
  limiter: UsagePlanLimiter;
  requestLog: RecordedSpApiRequest[];
  control: AmazonSandboxControl;
}

const newSellerSchema = z.object({
  sellerId: z.string().min(1),
  region: z.enum(['na', 'eu', 'fe']),
  marketplaceIds: z.array(z.string().min(1)).min(1),
  sellingPlan: z.enum(['PROFESSIONAL', 'INDIVIDUAL']),
  name: z.string().min(1).optional(),
});

export function createAmazonSandbox(options: AmazonSandboxOptions): AmazonSandbox {
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const directory = new SellerDirectory();
  directory.add(DEFAULT_SELLER);
  let signedInSellerId = DEFAULT_SELLER.sellerId;

  // A copy: rotating the secret must not write into the caller's configuration object.
  const server = new AuthorizationServer(
    options.clock,
    { ...options.application, redirectUris: [...options.application.redirectUris] },
    directory,
  );
  const limiter = new UsagePlanLimiter(options.clock, options.timeScale ?? 1, {
    ...USAGE_PLANS,
    ...SELLERS_USAGE_PLANS,
  });
  const requestLog: RecordedSpApiRequest[] = [];

  const control: AmazonSandboxControl = {
    addSeller: (seller) => directory.add(seller),
    sellers: () => directory.list(),
    signInAs(sellerId) {
      const seller = directory.require(sellerId);
      signedInSellerId = seller.sellerId;
      return seller;
    },
    signedInSeller: () => directory.require(signedInSellerId),
    setSellingPlan: (sellerId, plan) => directory.setSellingPlan(sellerId, plan),
    revokeAuthorization: (sellerId) => server.revoke(sellerId),
    rotateClientSecret: (newSecret) => server.rotateClientSecret(newSecret),
    startSellerCentralAuthorization: (sellerId) =>
      server.startSellerCentralAuthorization(sellerId, callbackUri({ publicUrl, server })),
    authorizationOf: (sellerId) => server.authorizationOf(sellerId),
    consentUrl({ state, redirectUri, version }) {
      const url = new URL(`${publicUrl}${CONSENT_PATH}`);
      url.searchParams.set('application_id', server.application.applicationId);
      url.searchParams.set('state', state);
      if (redirectUri) url.searchParams.set('redirect_uri', redirectUri);
      if (version) url.searchParams.set('version', version);
      return url.toString();
    },
  };

  const routes = new Hono();
  routes.route('/', authorizationRoutes({ server, signedInSeller: control.signedInSeller, publicUrl }));

  const spApi = new Hono<SpApiEnv>();
  spApi.use(
    '/spapi/:region/*',
    spApiAccessTokenMiddleware({
      clock: options.clock,
      requestLog,
      checkAccessToken: (t) => server.checkAccessToken(t),
    }),
  );
  spApi.route('/spapi/:region', sellersRoutes(directory, limiter));
  for (const group of options.spApiRoutes ?? []) spApi.route('/spapi/:region', group);
  spApi.all('/spapi/:region/*', (c) => spApiError(c, 404, 'NotFound', 'The requested resource was not found.'));
  routes.route('/', spApi);

  routes.route('/control', controlRoutes(control, requestLog));
  return { routes, limiter, requestLog, control };
}

/** The control surface over HTTP (JSON), for the sandbox demo and tests that drive a running server. */
function controlRoutes(control: AmazonSandboxControl, requestLog: RecordedSpApiRequest[]): Hono {
  const routes = new Hono();
  const body = async <T extends z.ZodTypeAny>(request: Request, schema: T): Promise<z.infer<T>> => {
    let json: unknown;
    try {
      json = await request.json();
    } catch {
      throw new Error('the body must be JSON');
    }
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new Error(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    }
    return parsed.data;
  };

  routes.onError((error, c) => {
    // Control calls only fail on their input: what they name is missing (404) or not acceptable (400).
    return c.json({ error: error.message }, error instanceof NotInSandboxError ? 404 : 400);
  });

  routes.get('/sellers', (c) => c.json({ sellers: control.sellers(), signedIn: control.signedInSeller().sellerId }));
  routes.post('/sellers', async (c) => c.json(control.addSeller(await body(c.req.raw, newSellerSchema)), 201));
  routes.post('/sign-in', async (c) => {
    const { sellerId } = await body(c.req.raw, z.object({ sellerId: z.string().min(1) }));
    return c.json(control.signInAs(sellerId));
  });
  routes.post('/sellers/:sellerId/selling-plan', async (c) => {
    const { sellingPlan } = await body(c.req.raw, z.object({ sellingPlan: z.enum(['PROFESSIONAL', 'INDIVIDUAL']) }));
    return c.json(control.setSellingPlan(c.req.param('sellerId'), sellingPlan));
  });
  routes.post('/sellers/:sellerId/revoke', (c) => c.json(control.revokeAuthorization(c.req.param('sellerId'))));
  routes.get('/sellers/:sellerId/authorization', (c) => {
    const authorization = control.authorizationOf(c.req.param('sellerId'));
    return authorization ? c.json(authorization) : c.json({ error: 'no authorization for this seller' }, 404);
  });
  routes.post('/sellers/:sellerId/seller-central-authorization', (c) =>
    c.json({ url: control.startSellerCentralAuthorization(c.req.param('sellerId')) }),
  );
  routes.post('/client-secret', async (c) => {
    const { clientSecret } = await body(c.req.raw, z.object({ clientSecret: z.string().min(1) }));
    control.rotateClientSecret(clientSecret);
    return c.body(null, 204);
  });
  routes.post('/consent-url', async (c) => {
    const params = await body(
      c.req.raw,
      z.object({
        state: z.string().min(1),
        redirectUri: z.string().url().optional(),
        version: z.literal('beta').optional(),
      }),
    );
    return c.json({ url: control.consentUrl(params) });
  });
  routes.get('/requests', (c) => c.json({ requests: requestLog }));
  return routes;
}
