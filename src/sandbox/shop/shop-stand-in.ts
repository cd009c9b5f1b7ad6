import { randomBytes } from 'node:crypto';
import { type Context, Hono } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Clock } from '../../server/clock/clock.ts';
import { type ManifestFacts, readManifestFacts } from '../../server/shopware/manifest.ts';
import { type Currency, demoCatalogue, type Product, type ProductPrice, shopwareId } from './catalogue.ts';
import { phpJsonEncode } from './php-json.ts';
import { hmacHex } from './signing.ts';
import { nextState, type StateMachineName } from './state-machines.ts';

export interface ShopStandInOptions {
  clock: Clock;
  /** Absolute URL where `routes` is mounted; it is the shop URL the app sees (`shop-url`). */
  shopUrl: string;
  /** The app's secret as the shop knows it (the `<secret>` of a private install's manifest). */
  appSecret: string;
  /** The manifest as installed: rendered for the app's APP_URL. */
  manifestXml: string;
  shopwareVersion?: string;
  /** Keep the same shop across sandbox restarts; a new random one otherwise. */
  shopId?: string;
  fetch?: typeof fetch;
}

export interface SentRequest {
  at: string;
  kind: 'registration' | 'confirmation' | 'webhook';
  event?: string;
  url: string;
  status: number;
}

export interface AdminApiCall {
  at: string;
  method: string;
  path: string;
  status: number;
}

export interface StoredOrder {
  id: string;
  payload: Record<string, unknown>;
  stateMachineState: string;
  deliveries: Array<{ id: string; state: string; trackingCodes: string[]; shippingMethodId: string | null }>;
  transactions: Array<{ id: string; state: string }>;
  createdAt: string;
}

export interface Notification {
  status: string;
  message: string;
  adminOnly: boolean;
  requiredPrivileges: string[];
  createdAt: string;
}

type ShopwareError = { status: string; code: string; title: string; detail: string; meta?: Record<string, unknown> };

const ADMIN_TOKEN_LIFETIME_S = 600;

/**
 * A Shopware 6.7 shop as the app sees it: it installs the app into itself the way Shopware's PHP does (signed
 * registration with the raw query, proof check, PHP-escaped signed confirmation, lifecycle webhooks), sends signed
 * entity webhooks, signs admin iframe URLs, and serves the parts of the Admin API the app uses over a small catalogue.
 */
export class ShopStandIn {
  readonly shopId: string;
  readonly shopUrl: string;
  readonly routes: Hono;
  readonly manifest: ManifestFacts;
  readonly sent: SentRequest[] = [];
  readonly adminApiCalls: AdminApiCall[] = [];
  readonly notifications: Notification[] = [];
  readonly orders = new Map<string, StoredOrder>();
  readonly products = new Map<string, Product>();
  readonly currencies: Currency[];
  readonly reference: ReturnType<typeof demoCatalogue>;

  #shopSecret: string | null = null;
  #apiKey: string | null = null;
  #secretKey: string | null = null;
  #appActive = false;
  #installed = false;
  #appVersion: string;
  readonly #tokens = new Map<string, number>();
  readonly #privileges: Set<string>;
  #faults: Array<{ status: number; pathPattern: RegExp }> = [];
  #afterCalls: Array<{ pathPattern: RegExp; action: () => Promise<unknown> }> = [];
  readonly #numberRanges = new Map<string, number>();
  readonly #clock: Clock;
  readonly #fetch: typeof fetch;
  readonly #shopwareVersion: string;
  readonly #appSecret: string;

  constructor(options: ShopStandInOptions) {
    this.#clock = options.clock;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#shopwareVersion = options.shopwareVersion ?? '6.7.2.0';
    this.#appSecret = options.appSecret;
    this.shopUrl = options.shopUrl.replace(/\/+$/, '');
    // Shopware's shop id: 16 random alphanumeric characters.
    this.shopId = options.shopId ?? randomBytes(12).toString('base64url').replace(/[-_]/g, 'x').slice(0, 16);
    this.manifest = readManifestFacts(options.manifestXml);
    this.#appVersion = this.manifest.version;
    this.#privileges = new Set(
      this.manifest.permissions.map((p) => (p.kind === 'permission' ? p.value : `${p.value}:${p.kind}`)),
    );
    this.reference = demoCatalogue(this.#clock.now());
    this.currencies = this.reference.currencies;
    for (const product of this.reference.products) this.products.set(product.id, product);
    this.routes = this.#buildRoutes();
  }

  get appActive() {
    return this.#appActive;
  }

  get installed() {
    return this.#installed;
  }

  get shopSecret() {
    return this.#shopSecret;
  }

  // ---- App lifecycle, as Shopware's AppLifecycle and AppRegistrationService do it ----

  /** Registers the app (handshake), then sends app.installed and app.activated, as `bin/console app:install --activate`. */
  async install(): Promise<void> {
    await this.register();
    this.#installed = true;
    await this.sendWebhook('app.installed', { appVersion: this.#appVersion });
    await this.activate();
  }

  /**
   * The registration handshake. A re-registration (URL change, secret rotation, 6.7 update) additionally signs the
   * request with the current shop secret and the confirmation with the previous one.
   */
  async register(
    options: { tamperAppSignature?: boolean } = {},
  ): Promise<{ registrationStatus: number; confirmationStatus: number | null }> {
    const timestamp = Math.floor(this.#clock.now().getTime() / 1000);
    const query = `shop-id=${this.shopId}&shop-url=${this.shopUrl}&timestamp=${timestamp}`;
    const headers: Record<string, string> = {
      'shopware-app-signature': options.tamperAppSignature
        ? hmacHex(query, 'wrong-secret')
        : hmacHex(query, this.#appSecret),
      'sw-version': this.#shopwareVersion,
      'sw-context-language': this.reference.languageId,
      'sw-user-language': 'en-GB',
    };
    const previousSecret = this.#shopSecret;
    if (previousSecret) headers['shopware-shop-signature'] = hmacHex(query, previousSecret);
    const registrationUrl = `${this.manifest.registrationUrl}?${query}`;
    const response = await this.#fetch(registrationUrl, { headers });
    this.#log('registration', registrationUrl, response.status);
    if (!response.ok) return { registrationStatus: response.status, confirmationStatus: null };
    const answer = (await response.json()) as { proof?: string; secret?: string; confirmation_url?: string };
    const expectedProof = hmacHex(this.shopId + this.shopUrl + this.manifest.name, this.#appSecret);
    if (answer.proof !== expectedProof || !answer.secret || !answer.confirmation_url) {
      throw new Error('the app answered the registration with an invalid proof');
    }
    const apiKey = this.#apiKey ?? `SWIA${randomBytes(18).toString('base64url').toUpperCase().replace(/[-_]/g, 'A')}`;
    const secretKey = this.#secretKey ?? randomBytes(36).toString('base64url');
    const body = phpJsonEncode({
      apiKey,
      secretKey,
      timestamp: String(timestamp),
      shopUrl: this.shopUrl,
      shopId: this.shopId,
    });
    const confirmHeaders: Record<string, string> = {
      'content-type': 'application/json',
      'shopware-shop-signature': hmacHex(body, answer.secret),
      'sw-version': this.#shopwareVersion,
    };
    if (previousSecret) confirmHeaders['shopware-shop-signature-previous'] = hmacHex(body, previousSecret);
    const confirmation = await this.#fetch(answer.confirmation_url, { method: 'POST', headers: confirmHeaders, body });
    this.#log('confirmation', answer.confirmation_url, confirmation.status);
    if (confirmation.ok) {
      this.#shopSecret = answer.secret;
      this.#apiKey = apiKey;
      this.#secretKey = secretKey;
    }
    return { registrationStatus: response.status, confirmationStatus: confirmation.status };
  }

  async activate(): Promise<number> {
    this.#appActive = true;
    return this.sendWebhook('app.activated', {});
  }

  async deactivate(): Promise<number> {
    const status = await this.sendWebhook('app.deactivated', {});
    this.#appActive = false;
    return status;
  }

  async update(appVersion: string): Promise<number> {
    this.#appVersion = appVersion;
    return this.sendWebhook('app.updated', { appVersion });
  }

  /** Uninstall: Shopware sends app.deleted with keepUserData, then forgets the app's integration. */
  async uninstall(options: { keepUserData: boolean }): Promise<number> {
    const status = await this.sendWebhook('app.deleted', { keepUserData: options.keepUserData });
    this.#appActive = false;
    this.#installed = false;
    this.#apiKey = null;
    this.#secretKey = null;
    this.#tokens.clear();
    return status;
  }

  /** Sends a webhook the way Shopware's WebhookDispatcher does: PHP-encoded JSON, signed with the shop secret. */
  async sendWebhook(event: string, payload: unknown): Promise<number> {
    const webhook = this.manifest.webhooks.find((w) => w.event === event);
    if (!webhook || !this.#shopSecret) return 0;
    const isLifecycle = event.startsWith('app.');
    if (!isLifecycle && !this.#appActive) return 0;
    const body = this.webhookBody(event, payload);
    const response = await this.#fetch(webhook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'shopware-shop-signature': hmacHex(body, this.#shopSecret),
        'sw-version': this.#shopwareVersion,
        'sw-context-language': this.reference.languageId,
        'sw-user-language': 'en-GB',
      },
      body,
    });
    this.#log('webhook', webhook.url, response.status, event);
    return response.status;
  }

  webhookBody(event: string, payload: unknown, timestamp = Math.floor(this.#clock.now().getTime() / 1000)): string {
    return phpJsonEncode({
      data: { payload, event },
      source: { url: this.shopUrl, appVersion: this.#appVersion, shopId: this.shopId, eventId: shopwareId() },
      timestamp,
    });
  }

  /** The signed URL the Administration puts into an app iframe (sw-iframe-renderer) for a location. */
  signedIframeUrl(locationId: string, options: { language?: string } = {}): string {
    if (!this.#shopSecret || !this.manifest.baseAppUrl) throw new Error('the app is not installed');
    const params = new URLSearchParams({
      'location-id': locationId,
      'shop-id': this.shopId,
      'shop-url': this.shopUrl,
      timestamp: String(Math.floor(this.#clock.now().getTime() / 1000)),
      'sw-version': this.#shopwareVersion,
      'app-version': this.#appVersion,
      'sw-context-language': this.reference.languageId,
      'sw-user-language': options.language ?? 'en-GB',
    });
    // Shopware signs the query with its values decoded, as the app verifies it.
    const signed = [...params.entries()].map(([key, value]) => `${key}=${value}`).join('&');
    params.set('shopware-shop-signature', hmacHex(signed, this.#shopSecret));
    return `${this.manifest.baseAppUrl}?${params.toString()}`;
  }

  // ---- Merchant actions in the shop ----

  productByNumber(productNumber: string): Product | undefined {
    return [...this.products.values()].find((p) => p.productNumber === productNumber);
  }

  /** Changes stock and/or prices as the merchant would in the admin; Shopware then sends product.written. */
  async changeProduct(
    productNumber: string,
    change: { stock?: number; grossPrice?: Array<{ currencyId: string; gross: number }> },
  ) {
    const product = this.productByNumber(productNumber);
    if (!product) throw new Error(`no product ${productNumber}`);
    const updatedFields: string[] = [];
    if (change.stock !== undefined) {
      product.stock = change.stock;
      product.availableStock = change.stock;
      updatedFields.push('stock', 'availableStock');
    }
    if (change.grossPrice) {
      product.price = mergePrices(product.price ?? [], change.grossPrice, this.#taxRateOf(product));
      updatedFields.push('price');
    }
    product.updatedAt = this.#clock.now().toISOString();
    const status = await this.sendWebhook('product.written', [
      { entity: 'product', operation: 'update', primaryKey: product.id, updatedFields, versionId: LIVE_VERSION_ID },
    ]);
    return { product, webhookStatus: status };
  }

  /**
   * The merchant ships an order's delivery in the admin: tracking codes are saved, the delivery moves to `shipped`,
   * and Shopware sends `order_delivery.written` and `state_enter.order_delivery.state.shipped`.
   */
  async shipDelivery(orderId: string, trackingCodes: string[]) {
    const order = this.orders.get(orderId);
    const delivery = order?.deliveries[0];
    if (!order || !delivery) throw new Error(`no order ${orderId} with a delivery`);
    const to = nextState('order_delivery', delivery.state, 'ship');
    if (!to) throw new Error(`the delivery of order ${orderId} is ${delivery.state} and cannot be shipped`);
    delivery.trackingCodes = trackingCodes;
    delivery.state = to;
    const written = await this.sendWebhook('order_delivery.written', [
      {
        entity: 'order_delivery',
        operation: 'update',
        primaryKey: delivery.id,
        updatedFields: ['trackingCodes', 'stateId'],
        versionId: LIVE_VERSION_ID,
      },
    ]);
    const entered = await this.sendWebhook('state_enter.order_delivery.state.shipped', {
      order: this.#orderView(order),
    });
    return { delivery, webhookStatuses: [written, entered] };
  }

  /** Makes the next Admin API calls whose path matches answer with `status` (e.g. 503 during a shop outage). */
  failAdminApi(count: number, status = 503, pathPattern = /.*/) {
    for (let i = 0; i < count; i++) this.#faults.push({ status, pathPattern });
  }

  /**
   * Runs `action` once, right after the next successful Admin API call whose path matches has been answered (the
   * answer is computed, not yet sent) — e.g. the merchant saving a product just after the app read it.
   */
  afterAdminApi(pathPattern: RegExp, action: () => Promise<unknown>) {
    this.#afterCalls.push({ pathPattern, action });
  }

  #taxRateOf(product: Product): number {
    return this.reference.taxes.find((t) => t.id === product.taxId)?.taxRate ?? 19;
  }

  #log(kind: SentRequest['kind'], url: string, status: number, event?: string) {
    this.sent.push({
      at: this.#clock.now().toISOString(),
      kind,
      url: url.split('?')[0] ?? url,
      status,
      ...(event ? { event } : {}),
    });
  }

  // ---- HTTP: the Admin API and the sandbox control API ----

  #buildRoutes(): Hono {
    const routes = new Hono();
    const api = new Hono<{ Variables: { authenticated: true } }>();

    api.use('*', async (c, next) => {
      await next();
      const path = new URL(c.req.url).pathname;
      const after = this.#afterCalls.findIndex((a) => a.pathPattern.test(path) && c.res.ok);
      if (after >= 0) await this.#afterCalls.splice(after, 1)[0]?.action();
      this.adminApiCalls.push({
        at: this.#clock.now().toISOString(),
        method: c.req.method,
        path: new URL(c.req.url).pathname.replace(/^.*\/api\//, '/api/'),
        status: c.res.status,
      });
    });

    api.use('*', async (c, next) => {
      const path = new URL(c.req.url).pathname;
      const fault = this.#faults.findIndex((f) => f.pathPattern.test(path));
      if (fault >= 0) {
        const status = this.#faults.splice(fault, 1)[0]?.status ?? 503;
        return errors(c, status as ContentfulStatusCode, [
          {
            status: String(status),
            code: 'FRAMEWORK__SERVICE_UNAVAILABLE',
            title: 'Service Unavailable',
            detail: 'The shop is temporarily unavailable.',
          },
        ]);
      }
      if (path.endsWith('/api/oauth/token')) return next();
      const token = (c.req.header('authorization') ?? '').replace(/^Bearer\s+/i, '');
      const expiresAt = this.#tokens.get(token);
      if (!token || expiresAt === undefined || expiresAt <= this.#clock.now().getTime()) {
        return errors(c, 401, [
          {
            status: '401',
            code: '9',
            title: 'Unauthorized',
            detail: token
              ? 'The resource owner or authorization server denied the request.'
              : 'Header "Authorization" is required.',
          },
        ]);
      }
      return next();
    });

    api.post('/oauth/token', async (c) => {
      const body = (await c.req.json().catch(() => null)) as {
        grant_type?: string;
        client_id?: string;
        client_secret?: string;
      } | null;
      if (body?.grant_type !== 'client_credentials') {
        return c.json(
          {
            errors: [
              {
                status: '400',
                code: '2',
                title: 'The authorization grant type is not supported by the authorization server.',
                detail: 'Check that all required parameters have been provided',
              },
            ],
          },
          400,
        );
      }
      if (!this.#apiKey || body.client_id !== this.#apiKey || body.client_secret !== this.#secretKey) {
        return errors(c, 401, [
          { status: '401', code: '4', title: 'Client authentication failed', detail: 'Client authentication failed' },
        ]);
      }
      const token = randomBytes(32).toString('base64url');
      this.#tokens.set(token, this.#clock.now().getTime() + ADMIN_TOKEN_LIFETIME_S * 1000);
      return c.json({ token_type: 'Bearer', expires_in: ADMIN_TOKEN_LIFETIME_S, access_token: token });
    });

    const search = <T extends object>(entity: string, rows: () => T[]) => {
      api.post(`/search/${entity}`, async (c) => {
        const denied = this.#deny(c, `${entity.replace(/-/g, '_')}:read`);
        if (denied) return denied;
        const criteria = (await c.req.json().catch(() => ({}))) as Criteria;
        const matched = applyCriteria(rows(), criteria);
        return c.json({ total: matched.total, data: matched.data, aggregations: {} });
      });
    };
    search('product', () => [...this.products.values()]);
    search('currency', () => this.currencies);
    search('tax', () => this.reference.taxes);
    search('sales-channel', () => [this.reference.salesChannel]);
    search('country', () => this.reference.countries);
    search('payment-method', () => this.reference.paymentMethods);
    search('shipping-method', () => this.reference.shippingMethods);
    search('salutation', () => this.reference.salutations);
    search('state-machine-state', () => this.reference.states);
    search('order', () => [...this.orders.values()].map((o) => this.#orderView(o)));

    api.get('/order/:id', (c) => {
      const denied = this.#deny(c, 'order:read');
      if (denied) return denied;
      const order = this.orders.get(c.req.param('id'));
      if (!order) return notFound(c, 'order', c.req.param('id'));
      return c.json({ data: this.#orderView(order) });
    });

    api.post('/order', async (c) => {
      const denied = this.#deny(c, 'order:create');
      if (denied) return denied;
      const payload = (await c.req.json().catch(() => null)) as Record<string, unknown> | null;
      const problems = validateOrderPayload(payload);
      if (problems.length > 0 || !payload) {
        return errors(
          c,
          400,
          problems.map((detail) => ({
            status: '400',
            code: 'FRAMEWORK__WRITE_CONSTRAINT_VIOLATION',
            title: 'Constraint violation error',
            detail,
          })),
        );
      }
      const id = typeof payload.id === 'string' ? payload.id : shopwareId();
      if (this.orders.has(id)) {
        return errors(c, 400, [
          {
            status: '400',
            code: 'FRAMEWORK__WRITE_DUPLICATE_PRIMARY_KEY',
            title: 'Bad Request',
            detail: `An order with the id ${id} already exists.`,
          },
        ]);
      }
      const deliveries = ((payload.deliveries as Array<Record<string, unknown>> | undefined) ?? []).map((d) => ({
        id: typeof d.id === 'string' ? d.id : shopwareId(),
        state: this.#stateName('order_delivery.state', d.stateId),
        trackingCodes: (d.trackingCodes as string[] | undefined) ?? [],
        shippingMethodId: (d.shippingMethodId as string | undefined) ?? null,
      }));
      const transactions = ((payload.transactions as Array<Record<string, unknown>> | undefined) ?? []).map((t) => ({
        id: typeof t.id === 'string' ? t.id : shopwareId(),
        state: this.#stateName('order_transaction.state', t.stateId),
      }));
      this.orders.set(id, {
        id,
        payload: { ...payload, id },
        stateMachineState: this.#stateName('order.state', payload.stateId),
        deliveries,
        transactions,
        createdAt: this.#clock.now().toISOString(),
      });
      // Shopware's order placement reduces the available stock of the products ordered.
      for (const item of (payload.lineItems as Array<Record<string, unknown>> | undefined) ?? []) {
        const product = typeof item.referencedId === 'string' ? this.products.get(item.referencedId) : undefined;
        if (product && item.type === 'product' && typeof item.quantity === 'number') {
          product.stock = (product.stock ?? 0) - item.quantity;
          product.availableStock = (product.availableStock ?? 0) - item.quantity;
        }
      }
      c.header('Location', `${this.shopUrl}/api/order/${id}`);
      return c.body(null, 204);
    });

    // Shopware numbers orders only in its checkout; API clients reserve a number (NumberRangeController::reserve).
    api.get('/_action/number-range/reserve/:type/:salesChannelId?', (c) => {
      const type = c.req.param('type');
      const next = (this.#numberRanges.get(type) ?? 10_000) + 1;
      this.#numberRanges.set(type, next);
      return c.json({ number: String(next - 1) });
    });

    api.post('/_action/sync', async (c) => {
      const operations = (await c.req.json().catch(() => null)) as
        | Record<string, SyncOperation>
        | SyncOperation[]
        | null;
      if (!operations || typeof operations !== 'object')
        return errors(c, 400, [
          {
            status: '400',
            code: 'FRAMEWORK__INVALID_SYNC_OPERATION',
            title: 'Bad Request',
            detail: 'The sync body must be a list of operations.',
          },
        ]);
      const written: Record<string, string[]> = {};
      for (const operation of Array.isArray(operations) ? operations : Object.values(operations)) {
        if (operation.entity !== 'product' || operation.action !== 'upsert') {
          return errors(c, 400, [
            {
              status: '400',
              code: 'FRAMEWORK__INVALID_SYNC_OPERATION',
              title: 'Bad Request',
              detail: `Unsupported sync operation ${operation.action} on ${operation.entity}`,
            },
          ]);
        }
        const denied = this.#deny(c, 'product:update');
        if (denied) return denied;
        for (const row of operation.payload ?? []) {
          const product = typeof row.id === 'string' ? this.products.get(row.id) : undefined;
          if (!product) return notFound(c, 'product', String(row.id));
          if (typeof row.stock === 'number') {
            product.stock = row.stock;
            product.availableStock = row.stock;
          }
          product.updatedAt = this.#clock.now().toISOString();
          written.product = [...(written.product ?? []), product.id];
        }
      }
      return c.json({ data: written, deleted: {}, notFound: {} });
    });

    for (const machine of ['order', 'order_delivery', 'order_transaction'] as const) {
      api.post(`/_action/${machine}/:id/state/:transition`, (c) => {
        const denied = this.#deny(c, `${machine}:update`);
        if (denied) return denied;
        const id = c.req.param('id');
        const found = this.#stateful(machine, id);
        if (!found) return notFound(c, machine, id);
        const to = nextState(machine, found.get(), c.req.param('transition'));
        if (!to) {
          return errors(c, 400, [
            {
              status: '400',
              code: 'SYSTEM__ILLEGAL_TRANSITION_EXCEPTION',
              title: 'Bad Request',
              detail: `Illegal transition "${c.req.param('transition')}" from state "${found.get()}". Possible transitions are: ...`,
            },
          ]);
        }
        const from = found.get();
        found.set(to);
        if (machine === 'order' && (from === 'cancelled') !== (to === 'cancelled')) {
          this.#changeOrderStock(id, to === 'cancelled' ? 1 : -1);
        }
        return c.json({ data: { technicalName: to, stateMachineId: machine } });
      });
    }

    api.post('/notification', async (c) => {
      const denied = this.#deny(c, 'notification:create');
      if (denied) return denied;
      const body = (await c.req.json().catch(() => null)) as Partial<Notification> | null;
      const statuses = ['neutral', 'info', 'attention', 'critical', 'positive', 'success', 'error', 'warning'];
      if (!body || typeof body.message !== 'string' || !body.message || !statuses.includes(String(body.status))) {
        return errors(c, 400, [
          {
            status: '400',
            code: 'FRAMEWORK__INVALID_NOTIFICATION',
            title: 'Bad Request',
            detail: 'status and message are required',
          },
        ]);
      }
      this.notifications.push({
        status: String(body.status),
        message: body.message,
        adminOnly: body.adminOnly === true,
        requiredPrivileges: body.requiredPrivileges ?? [],
        createdAt: this.#clock.now().toISOString(),
      });
      return c.body(null, 204);
    });

    routes.route('/api', api);

    // The sandbox's own control surface (not part of Shopware).
    routes.get('/admin/iframe-url', (c) => {
      const locationId = c.req.query('location-id');
      if (!locationId) return c.json({ error: 'location-id is required' }, 400);
      if (!this.#installed) return c.json({ error: 'The app is not installed in this shop' }, 409);
      return c.json({ url: this.signedIframeUrl(locationId, { language: c.req.query('language') }) });
    });
    routes.get('/control/state', (c) =>
      c.json({
        shopId: this.shopId,
        shopUrl: this.shopUrl,
        installed: this.#installed,
        appActive: this.#appActive,
        products: [...this.products.values()].map((p) => ({
          id: p.id,
          productNumber: p.productNumber,
          name: p.name,
          stock: p.stock,
          price: p.price,
        })),
        orders: [...this.orders.values()].map((o) => this.#orderView(o)),
        notifications: this.notifications,
      }),
    );
    routes.post('/control/products/:productNumber', async (c) => {
      const body = (await c.req.json().catch(() => null)) as { stock?: unknown; grossPrice?: unknown } | null;
      const stock = body?.stock;
      const grossPrice = body?.grossPrice;
      if (!body || (stock !== undefined && (!Number.isInteger(stock) || (stock as number) < 0))) {
        return c.json({ error: 'stock must be a whole number ≥ 0' }, 400);
      }
      if (grossPrice !== undefined && (typeof grossPrice !== 'number' || grossPrice <= 0)) {
        return c.json({ error: 'grossPrice must be a positive number (in the default currency)' }, 400);
      }
      if (!this.productByNumber(c.req.param('productNumber'))) return c.json({ error: 'Unknown product number' }, 404);
      const eur = this.currencies[0] as Currency;
      const result = await this.changeProduct(c.req.param('productNumber'), {
        stock: stock as number | undefined,
        grossPrice: typeof grossPrice === 'number' ? [{ currencyId: eur.id, gross: grossPrice }] : undefined,
      });
      return c.json({
        productNumber: result.product.productNumber,
        stock: result.product.stock,
        price: result.product.price,
        webhookStatus: result.webhookStatus,
      });
    });
    routes.post('/control/orders/:orderId/ship', async (c) => {
      const body = (await c.req.json().catch(() => null)) as { trackingCodes?: unknown } | null;
      const codes = body?.trackingCodes;
      if (!Array.isArray(codes) || !codes.every((code) => typeof code === 'string')) {
        return c.json({ error: 'trackingCodes must be a list of strings' }, 400);
      }
      if (!this.orders.has(c.req.param('orderId'))) return c.json({ error: 'Unknown order' }, 404);
      try {
        const result = await this.shipDelivery(c.req.param('orderId'), codes);
        return c.json({
          deliveryId: result.delivery.id,
          state: result.delivery.state,
          webhooks: result.webhookStatuses,
        });
      } catch (error) {
        return c.json({ error: error instanceof Error ? error.message : String(error) }, 409);
      }
    });
    routes.post('/control/app/:action', async (c) => {
      const action = c.req.param('action');
      if (action === 'activate') return c.json({ status: await this.activate() });
      if (action === 'deactivate') return c.json({ status: await this.deactivate() });
      if (action === 'install') {
        await this.install();
        return c.json({ installed: true });
      }
      return c.json({ error: 'action must be install, activate or deactivate' }, 400);
    });
    return routes;
  }

  #deny(c: Context, privilege: string): Response | null {
    if (this.#privileges.has(privilege)) return null;
    return errors(c, 403, [
      {
        status: '403',
        code: 'FRAMEWORK__MISSING_PRIVILEGE_ERROR',
        title: 'Forbidden',
        detail: JSON.stringify({ message: 'Missing privilege', missingPrivileges: [privilege] }),
      },
    ]);
  }

  #stateful(machine: StateMachineName, id: string): { get(): string; set(state: string): void } | null {
    if (machine === 'order') {
      const order = this.orders.get(id);
      return order ? { get: () => order.stateMachineState, set: (s) => (order.stateMachineState = s) } : null;
    }
    for (const order of this.orders.values()) {
      const list = machine === 'order_delivery' ? order.deliveries : order.transactions;
      const entry = list.find((e) => e.id === id);
      if (entry) return { get: () => entry.state, set: (s) => (entry.state = s) };
    }
    return null;
  }

  /** The technical name of a state id sent on create; the machine's initial state when none is sent. */
  #stateName(machine: string, stateId: unknown): string {
    const state = this.reference.states.find((s) => s.id === stateId && s.stateMachine.technicalName === machine);
    return state?.technicalName ?? 'open';
  }

  /** Stock of the order's product line items: +1 puts it back (cancelled), -1 takes it again (reopened). */
  #changeOrderStock(orderId: string, direction: 1 | -1) {
    const order = this.orders.get(orderId);
    for (const item of (order?.payload.lineItems as Array<Record<string, unknown>> | undefined) ?? []) {
      const product = typeof item.referencedId === 'string' ? this.products.get(item.referencedId) : undefined;
      if (product && item.type === 'product' && typeof item.quantity === 'number') {
        product.stock = (product.stock ?? 0) + direction * item.quantity;
        product.availableStock = (product.availableStock ?? 0) + direction * item.quantity;
      }
    }
  }

  #orderView(order: StoredOrder) {
    return {
      ...order.payload,
      id: order.id,
      stateMachineState: { technicalName: order.stateMachineState },
      deliveries: order.deliveries.map((d) => ({
        ...d,
        stateMachineState: { technicalName: d.state },
        shippingMethod: this.reference.shippingMethods.find((m) => m.id === d.shippingMethodId) ?? null,
      })),
      transactions: order.transactions.map((t) => ({ ...t, stateMachineState: { technicalName: t.state } })),
      createdAt: order.createdAt,
    };
  }
}

const LIVE_VERSION_ID = '0fa91ce3e96a4bc2be4bd9ce752c3425';

interface SyncOperation {
  entity?: string;
  action?: string;
  payload?: Array<Record<string, unknown>>;
}

interface Criteria {
  ids?: string[];
  limit?: number;
  page?: number;
  filter?: Array<{ type: string; field: string; value?: unknown }>;
}

function applyCriteria<T extends object>(rows: T[], criteria: Criteria): { total: number; data: T[] } {
  let matched = rows;
  if (Array.isArray(criteria.ids) && criteria.ids.length > 0) {
    const ids = new Set(criteria.ids);
    matched = matched.filter((row) => ids.has((row as { id?: string }).id ?? ''));
  }
  for (const filter of criteria.filter ?? []) {
    const value = (row: T) =>
      filter.field.split('.').reduce<unknown>((v, key) => (v as Record<string, unknown> | null)?.[key], row);
    if (filter.type === 'equals') matched = matched.filter((row) => value(row) === filter.value);
    else if (filter.type === 'equalsAny') {
      const accepted = new Set(Array.isArray(filter.value) ? filter.value : String(filter.value ?? '').split('|'));
      matched = matched.filter((row) => accepted.has(value(row) as string));
    }
  }
  const limit = criteria.limit && criteria.limit > 0 ? criteria.limit : matched.length || 1;
  const page = criteria.page && criteria.page > 0 ? criteria.page : 1;
  return { total: matched.length, data: matched.slice((page - 1) * limit, page * limit) };
}

function mergePrices(
  current: ProductPrice[],
  change: Array<{ currencyId: string; gross: number }>,
  taxRate: number,
): ProductPrice[] {
  const byCurrency = new Map(current.map((p) => [p.currencyId, p]));
  for (const { currencyId, gross } of change) {
    byCurrency.set(currencyId, {
      currencyId,
      gross,
      net: Math.round((gross / (1 + taxRate / 100)) * 100) / 100,
      linked: true,
    });
  }
  return [...byCurrency.values()];
}

/** The fields Shopware's order definition requires on create (the DAL answers a constraint violation otherwise). */
function validateOrderPayload(payload: Record<string, unknown> | null): string[] {
  if (!payload || typeof payload !== 'object') return ['The order payload must be a JSON object.'];
  const required = [
    'billingAddressId',
    'currencyId',
    'languageId',
    'salesChannelId',
    'orderDateTime',
    'price',
    'shippingCosts',
    'currencyFactor',
    'stateId',
    'orderCustomer',
    'itemRounding',
    'totalRounding',
  ];
  const problems = required
    .filter((field) => payload[field] === undefined || payload[field] === null)
    .map((field) => `/${field}: This value should not be blank.`);
  const addresses = payload.addresses as Array<{ id?: string }> | undefined;
  if (typeof payload.billingAddressId === 'string' && !addresses?.some((a) => a.id === payload.billingAddressId)) {
    problems.push('/billingAddressId: The billing address must be one of the order addresses.');
  }
  return problems;
}

function errors(c: Context, status: ContentfulStatusCode, list: ShopwareError[]) {
  return c.json({ errors: list }, status);
}

function notFound(c: Context, entity: string, id: string) {
  return errors(c, 404, [
    {
      status: '404',
      code: 'FRAMEWORK__RESOURCE_NOT_FOUND',
      title: 'Not Found',
      detail: `The ${entity} resource with the following primary key was not found: id(${id})`,
    },
  ]);
}
