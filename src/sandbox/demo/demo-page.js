// @ts-check
/**
 * The admin host's Sandbox page: the shop on one side, Amazon on the other, and the app between them doing its work.
 * It reads `GET state` of the demo routes every two seconds and offers their actions. Served as is from
 * `/sandbox/demo/page.js` (no build step); the host page imports it when `#/sandbox` opens.
 */

/**
 * @typedef {{ id: string, country: string, name: string, currency: string }} Marketplace
 * @typedef {{ productNumber: string, name: string | null, stock: number | null, price: number | null,
 *   currency: string }} Product
 * @typedef {{ sku: string, marketplaceId: string, country: string, quantity: number | null, price: number | null,
 *   currency: string | null, updatedAt: string }} Offer
 * @typedef {{ orderId: string, marketplaceId: string, country: string, createdTime: string, lastUpdatedTime: string,
 *   status: string, items: Array<{ sku: string, quantity: number }>, total: { amount: string, currency: string } | null,
 *   shopOrderNumber: string | null }} AmazonOrder
 * @typedef {{ id: string, orderNumber: string | null, amazonOrderId: string | null, state: string,
 *   deliveryState: string | null, items: Array<{ productNumber: string | null, label: string, quantity: number }>,
 *   total: number | null, currency: string | null, createdAt: string }} ShopOrder
 * @typedef {{ flow: string, lastRunAt: string | null, lastRunOutcome: string | null, nextRunAt: string | null,
 *   lastError: string | null, pausedReason: string | null }} FlowStatus
 * @typedef {{ status: string, message: string, createdAt: string }} Notification
 * @typedef {{ status: string, sellingPartnerId: string | null, expiresAt: string | null, daysLeft: number | null,
 *   syncAllowed: boolean, reason: string | null }} Connection
 * @typedef {{ sellerId: string, name: string, connected: boolean, marketplaces: Marketplace[],
 *   amazonAuthorization: { grantedAt: string, expiresAt: string, revoked: boolean, expired: boolean } | null }} Seller
 * @typedef {{ now: string, connection: Connection, seller: Seller, products: Product[], offers: Offer[],
 *   amazonOrders: AmazonOrder[], shopOrders: ShopOrder[], sync: FlowStatus[], notifications: Notification[] }} DemoState
 */

const API = new URL('./', import.meta.url);
const REFRESH_MS = 2000;

const STATUS_LABELS = /** @type {Record<string, string>} */ ({
  not_connected: 'Not connected',
  active: 'Active',
  expiring: 'Expiring soon',
  expired: 'Expired',
  deactivated: 'Deactivated',
  revoked: 'Revoked',
});

/**
 * Renders the Sandbox page into `container` and keeps it current until the container's content is replaced.
 * @param {HTMLElement} container
 */
export function renderSandboxPage(container) {
  ensureStyles();
  const page = new SandboxPage();
  container.replaceChildren(page.root);
  page.start();
}

function ensureStyles() {
  if (document.getElementById('sandbox-demo-styles')) return;
  document.head.append(element('link', { id: 'sandbox-demo-styles', rel: 'stylesheet', href: `${API}page.css` }));
}

class SandboxPage {
  constructor() {
    /** @type {DemoState | null} */
    this.state = null;
    /** @type {Promise<void> | null} */
    this.pending = null;
    this.again = false;
    /** @type {ReturnType<typeof setInterval> | undefined} */
    this.timer = undefined;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.messageTimer = undefined;

    this.connection = element('div', { class: 'demo-connection', 'data-demo': 'connection' });
    this.flows = element('div', { class: 'demo-flows', 'data-demo': 'sync' });
    this.clock = element('span', { class: 'demo-clock__now', 'data-demo': 'clock' }, ['…']);
    this.productTable = element('div', { class: 'demo-table-wrap', 'data-demo': 'products' });
    this.amazonOrders = element('div', { class: 'demo-table-wrap', 'data-demo': 'amazon-orders' });
    this.shopOrders = element('div', { class: 'demo-table-wrap', 'data-demo': 'shop-orders' });
    this.notifications = element('div', { 'data-demo': 'notifications' });
    this.message = element('div', { class: 'demo-message', role: 'status', 'aria-live': 'polite', hidden: '' });

    this.productSelect = /** @type {HTMLSelectElement} */ (element('select', { name: 'productNumber' }));
    this.stockInput = /** @type {HTMLInputElement} */ (
      element('input', { name: 'stock', type: 'number', min: '0', step: '1', required: '' })
    );
    this.priceInput = /** @type {HTMLInputElement} */ (
      element('input', { name: 'grossPrice', type: 'number', min: '0.01', step: '0.01', required: '' })
    );
    this.orderSkuSelect = /** @type {HTMLSelectElement} */ (element('select', { name: 'sku' }));
    this.quantityInput = /** @type {HTMLInputElement} */ (
      element('input', { name: 'quantity', type: 'number', min: '1', max: '99', step: '1', value: '1' })
    );
    this.marketplaceSelect = /** @type {HTMLSelectElement} */ (element('select', { name: 'marketplaceId' }));

    this.root = element('div', { class: 'demo', 'data-demo': 'page' }, [
      this.introCard(),
      this.connectionCard(),
      this.catalogueCard(),
      this.ordersCard(),
      card('Notifications the app sent to the shop', 'What the Administration shows under its bell, newest first.', [
        this.notifications,
      ]),
      this.message,
    ]);

    this.root.addEventListener('click', (event) => {
      const target = /** @type {HTMLElement} */ (event.target);
      const button = /** @type {HTMLButtonElement | null} */ (target.closest('button[data-action]'));
      if (button) void this.act(button);
    });
    this.root.addEventListener('submit', (event) => {
      event.preventDefault();
      const form = /** @type {HTMLFormElement} */ (event.target);
      const button = /** @type {HTMLButtonElement | null} */ (form.querySelector('button[data-action]'));
      if (button) void this.act(button);
    });
    this.productSelect.addEventListener('change', () => this.fillProductForm());
  }

  start() {
    void this.refresh();
    this.timer = setInterval(() => {
      // The host replaced the page (navigation): stop asking.
      if (!this.root.isConnected) return clearInterval(this.timer);
      void this.refresh();
    }, REFRESH_MS);
  }

  /**
   * Reads the state and renders it. A refresh asked for while one is under way runs again after it, so what an action
   * changed is never answered with a state read before the action.
   * @returns {Promise<void>}
   */
  refresh() {
    if (this.pending) {
      this.again = true;
      return this.pending;
    }
    this.pending = this.load().finally(() => {
      this.pending = null;
      if (!this.again) return;
      this.again = false;
      return this.refresh();
    });
    return this.pending;
  }

  async load() {
    try {
      const response = await fetch(new URL('state', API), { headers: { Accept: 'application/json' } });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      this.state = /** @type {DemoState} */ (await response.json());
      this.render(this.state);
    } catch (error) {
      this.show(`The sandbox does not answer (${errorText(error)}). Is npm start still running?`, 'error');
    }
  }

  // ---- Static parts: built once, so typing into a form is never interrupted by a refresh ----

  introCard() {
    return card('Watch stock, prices and orders flow', '', [
      element('p', { class: 'demo-intro' }, [
        'Everything around the app is a stand-in: “the shop” plays Shopware, “Amazon” plays Seller Central and the ',
        'SP-API. The app between them runs for real and reacts as it would in production.',
      ]),
      element('ol', { class: 'demo-steps' }, [
        element('li', {}, [
          'Connect: ',
          element('a', { href: '#/settings/amazon' }, ['Settings › Amazon › Access data']),
          ', press the red “Request / renew token” button and confirm in the Seller Central pop-up.',
        ]),
        element('li', {}, [
          'Change a product’s stock or price below. The shop tells the app (webhook), the app updates the offer, ',
          'and Amazon’s columns follow within seconds.',
        ]),
        element('li', {}, [
          'Place an Amazon order, then press “+5 minutes”: Amazon lists an order two minutes after it changed and ',
          'the app asks every three minutes. The order appears as a shop order, and the shop’s stock drops.',
        ]),
        element('li', {}, [
          'Move the clock by 335 days: a notification arrives, and after a reload (the app looks when the ',
          'Administration loads) the ',
          element('a', { href: '#/' }, ['Dashboard']),
          ' warns that the authorization runs out. Another 30 days and it has expired: every sync stops until ',
          'you renew with the red button.',
        ]),
      ]),
    ]);
  }

  connectionCard() {
    const timeButtons = [
      ['+5 minutes', '{"minutes":5}'],
      ['+1 hour', '{"minutes":60}'],
      ['+30 days', '{"days":30}'],
      ['+335 days', '{"days":335}'],
      ['+365 days', '{"days":365}'],
    ].map(([label, body]) =>
      element('button', { type: 'button', class: 'demo-button', 'data-action': 'clock', 'data-body': body ?? '' }, [
        label ?? '',
      ]),
    );
    return card('The authorization and the time', '', [
      this.connection,
      element('div', { class: 'demo-clock' }, [
        element('span', { class: 'demo-label' }, ['Sandbox clock']),
        this.clock,
        ...timeButtons,
      ]),
      element('div', { class: 'demo-revoke' }, [
        element('button', { type: 'button', class: 'demo-button demo-button--danger', 'data-action': 'revoke' }, [
          'Remove the app on Amazon',
        ]),
        element('span', { class: 'demo-hint' }, [
          'As the seller does under Manage Your Apps in Seller Central. The app notices at its next call to Amazon.',
        ]),
      ]),
      this.flows,
    ]);
  }

  catalogueCard() {
    return card('Stock and prices: shop → Amazon', 'The product numbers are the SKUs on Amazon.', [
      element('form', { class: 'demo-form', 'data-demo': 'product-form' }, [
        field('Product', this.productSelect),
        field('Stock', this.stockInput),
        field('Price (EUR, gross)', this.priceInput),
        element('button', { type: 'submit', class: 'demo-button demo-button--primary', 'data-action': 'product' }, [
          'Save in the shop',
        ]),
      ]),
      this.productTable,
    ]);
  }

  ordersCard() {
    return card('Orders: Amazon → shop', '', [
      element('form', { class: 'demo-form', 'data-demo': 'order-form' }, [
        field('SKU', this.orderSkuSelect),
        field('Quantity', this.quantityInput),
        field('Marketplace', this.marketplaceSelect),
        element('button', { type: 'submit', class: 'demo-button demo-button--primary', 'data-action': 'order' }, [
          'Place order on Amazon',
        ]),
      ]),
      element('h3', { class: 'demo-subtitle' }, ['On Amazon']),
      this.amazonOrders,
      element('h3', { class: 'demo-subtitle' }, ['In the shop']),
      this.shopOrders,
    ]);
  }

  // ---- Actions ----

  /** @param {HTMLButtonElement} button */
  async act(button) {
    const action = button.dataset.action;
    /** @type {{ path: string, body?: unknown, done: (answer: any) => string } | null} */
    let request = null;
    if (action === 'product') {
      const productNumber = this.productSelect.value;
      const change = {
        ...(this.stockInput.value === '' ? {} : { stock: Number(this.stockInput.value) }),
        ...(this.priceInput.value === '' ? {} : { grossPrice: Number(this.priceInput.value) }),
      };
      request = {
        path: `products/${encodeURIComponent(productNumber)}`,
        body: change,
        done: (answer) =>
          `${productNumber} saved in the shop (stock ${answer.product.stock}, ${money(answer.product.price, 'EUR')}).`,
      };
    } else if (action === 'order') {
      const sku = this.orderSkuSelect.value;
      request = {
        path: 'amazon/orders',
        body: { sku, quantity: Number(this.quantityInput.value || 1), marketplaceId: this.marketplaceSelect.value },
        done: (answer) =>
          `Amazon order ${answer.orderId} placed (${answer.total ? money(Number(answer.total.amount), answer.total.currencyCode) : sku}). Press “+5 minutes” to let the app import it now.`,
      };
    } else if (action === 'cancel') {
      const orderId = button.dataset.orderId ?? '';
      request = {
        path: `amazon/orders/${encodeURIComponent(orderId)}/cancel`,
        done: () => `The buyer cancelled ${orderId} on Amazon. Press “+5 minutes” to let the app see it now.`,
      };
    } else if (action === 'revoke') {
      if (!window.confirm('Remove the app in Seller Central? Amazon will refuse its tokens from now on.')) return;
      request = {
        path: 'amazon/revoke',
        done: (answer) => `Seller ${answer.sellerId} removed the app on Amazon.`,
      };
    } else if (action === 'clock') {
      request = {
        path: 'clock',
        body: JSON.parse(button.dataset.body ?? '{}'),
        done: (answer) =>
          `The clock is now ${dateTime(answer.now)}.${answer.expired ? ` ${answer.expired} authorization(s) expired.` : ''}${answer.reminded ? ` ${answer.reminded} reminder(s) sent.` : ''}`,
      };
    }
    if (!request) return;

    button.disabled = true;
    /** @type {[string, 'success' | 'error']} */
    let outcome;
    try {
      const response = await fetch(new URL(request.path, API), {
        method: 'POST',
        headers: { 'content-type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(request.body ?? {}),
      });
      const answer = await response.json().catch(() => ({}));
      if (!response.ok) throw new Error(answer.error ?? `HTTP ${response.status}`);
      outcome = [request.done(answer), 'success'];
    } catch (error) {
      outcome = [errorText(error), 'error'];
    }
    // The message comes with the state that shows it, not before.
    await this.refresh();
    button.disabled = false;
    this.show(...outcome);
  }

  /** @param {string} text @param {'success' | 'error'} variant */
  show(text, variant) {
    this.message.textContent = text;
    this.message.className = `demo-message demo-message--${variant}`;
    this.message.hidden = false;
    clearTimeout(this.messageTimer);
    this.messageTimer = setTimeout(() => {
      this.message.hidden = true;
    }, 8000);
  }

  // ---- Rendering the state ----

  /** @param {DemoState} state */
  render(state) {
    this.clock.textContent = dateTime(state.now);
    this.renderConnection(state);
    this.renderFlows(state.sync);
    this.renderForms(state);
    this.renderProducts(state);
    this.renderAmazonOrders(state);
    this.renderShopOrders(state);
    this.renderNotifications(state.notifications);
  }

  /** @param {DemoState} state */
  renderConnection({ connection, seller }) {
    const amazon = seller.amazonAuthorization;
    const amazonSide = !amazon
      ? seller.connected
        ? 'it knows no authorization for this app.'
        : 'the seller has not authorized the app yet.'
      : amazon.revoked
        ? 'the seller removed the app (Manage Your Apps).'
        : amazon.expired
          ? 'the year of the authorization is over.'
          : `authorized until ${dateTime(amazon.expiresAt)}.`;
    const facts = [
      element('span', { class: `demo-badge demo-badge--${connection.status}`, 'data-status': connection.status }, [
        STATUS_LABELS[connection.status] ?? connection.status,
      ]),
      element('span', {}, [
        seller.connected ? 'Connected seller ' : 'Seller signed in on Seller Central: ',
        element('strong', {}, [seller.name]),
        ` (${seller.sellerId}), ${seller.marketplaces.map((m) => m.country).join(' · ')}`,
      ]),
    ];
    if ((connection.status === 'active' || connection.status === 'expiring') && connection.expiresAt) {
      facts.push(element('span', {}, [`${connection.daysLeft} days left (until ${dateTime(connection.expiresAt)})`]));
    }
    this.connection.replaceChildren(
      element('div', { class: 'demo-connection__facts' }, facts),
      element('div', { class: 'demo-hint' }, [`What Amazon says: ${amazonSide}`]),
      ...(connection.syncAllowed
        ? []
        : [
            element('div', { class: 'demo-stopped' }, [
              `Syncing is stopped: ${connection.reason ?? 'the app is not connected.'}`,
            ]),
          ]),
    );
  }

  /** @param {FlowStatus[]} flows */
  renderFlows(flows) {
    const names = /** @type {Record<string, string>} */ ({
      stock: 'Stock',
      price: 'Prices',
      orders: 'Order import',
      shipments: 'Shipment confirmation',
    });
    this.flows.replaceChildren(
      table(
        ['Sync', 'Last run', 'Next run', 'Note'],
        flows.map((flow) => [
          names[flow.flow] ?? flow.flow,
          flow.lastRunAt ? `${dateTime(flow.lastRunAt)} (${flow.lastRunOutcome ?? '—'})` : '—',
          flow.nextRunAt ? dateTime(flow.nextRunAt) : '—',
          flow.pausedReason ? `Paused: ${flow.pausedReason}` : (flow.lastError ?? ''),
        ]),
      ),
    );
  }

  /** Fills the pickers from the state without disturbing what someone is typing. @param {DemoState} state */
  renderForms(state) {
    const skus = state.products.map((p) => p.productNumber);
    const firstFill = this.productSelect.options.length === 0;
    setOptions(
      this.productSelect,
      state.products.map((p) => [p.productNumber, `${p.productNumber} — ${p.name ?? ''}`]),
    );
    setOptions(
      this.orderSkuSelect,
      state.products.map((p) => [p.productNumber, `${p.productNumber} — ${p.name ?? ''}`]),
    );
    const hadMarketplaces = this.marketplaceSelect.options.length > 0;
    setOptions(
      this.marketplaceSelect,
      state.seller.marketplaces.map((m) => [m.id, `${m.name} (${m.currency})`]),
    );
    if (!hadMarketplaces && state.seller.marketplaces.some((m) => m.country === 'DE')) {
      this.marketplaceSelect.value = state.seller.marketplaces.find((m) => m.country === 'DE')?.id ?? '';
    }
    if (firstFill && skus.length > 0) this.fillProductForm();
  }

  /** Puts the selected product's current stock and price into the form. */
  fillProductForm() {
    const product = this.state?.products.find((p) => p.productNumber === this.productSelect.value);
    if (!product) return;
    this.stockInput.value = String(product.stock ?? 0);
    this.priceInput.value = product.price === null ? '' : product.price.toFixed(2);
  }

  /** @param {DemoState} state */
  renderProducts({ products, offers, seller }) {
    const headers = ['SKU', 'Product', 'Shop stock', 'Shop price'];
    const marketplaces = seller.marketplaces;
    const rows = products.map((product) => {
      const cells = [
        element('td', { class: 'demo-mono' }, [product.productNumber]),
        element('td', {}, [product.name ?? '']),
        element('td', { class: 'demo-number', 'data-shop-stock': product.productNumber }, [
          String(product.stock ?? '—'),
        ]),
        element('td', { class: 'demo-number' }, [product.price === null ? '—' : money(product.price, 'EUR')]),
      ];
      for (const marketplace of marketplaces) {
        const offer = offers.find((o) => o.sku === product.productNumber && o.marketplaceId === marketplace.id);
        cells.push(offerCell(product, marketplace, offer));
      }
      return element('tr', { 'data-sku': product.productNumber }, cells);
    });
    const head = element('tr', {}, [
      ...headers.map((h) => element('th', {}, [h])),
      ...marketplaces.map((m) =>
        element('th', { class: 'demo-amazon', title: m.name }, [`Amazon ${m.country}`, element('br'), m.currency]),
      ),
    ]);
    this.productTable.replaceChildren(
      element('table', { class: 'demo-table' }, [element('thead', {}, [head]), element('tbody', {}, rows)]),
      element('p', { class: 'demo-hint' }, [
        offers.length === 0
          ? 'Amazon holds no offers of this seller yet — connect first (step 1).'
          : 'Orange: Amazon holds another quantity or price than the shop — a change on its way, or stock the shop ' +
            'gave to an imported order, which the app’s hourly comparison of the catalogue sends (+1 hour).',
      ]),
    );
  }

  /** @param {DemoState} state */
  renderAmazonOrders({ amazonOrders }) {
    if (amazonOrders.length === 0) {
      this.amazonOrders.replaceChildren(element('p', { class: 'demo-empty' }, ['No orders on Amazon yet.']));
      return;
    }
    const rows = amazonOrders.map((order) =>
      element('tr', { 'data-amazon-order': order.orderId }, [
        element('td', { class: 'demo-mono' }, [order.orderId]),
        element('td', {}, [dateTime(order.createdTime)]),
        element('td', {}, [order.country]),
        element('td', {}, [order.items.map((item) => `${item.quantity} × ${item.sku}`).join(', ')]),
        element('td', { class: 'demo-number' }, [
          order.total ? money(Number(order.total.amount), order.total.currency) : '—',
        ]),
        element('td', {}, [
          element('span', { class: `demo-status demo-status--${order.status.toLowerCase()}` }, [order.status]),
        ]),
        element('td', { 'data-imported': order.shopOrderNumber ? 'yes' : 'no' }, [
          order.shopOrderNumber ? `Shop order ${order.shopOrderNumber}` : 'Not imported yet',
        ]),
        element(
          'td',
          {},
          order.status === 'UNSHIPPED' || order.status === 'PENDING'
            ? [
                element(
                  'button',
                  {
                    type: 'button',
                    class: 'demo-button demo-button--small',
                    'data-action': 'cancel',
                    'data-order-id': order.orderId,
                  },
                  ['Buyer cancels'],
                ),
              ]
            : [],
        ),
      ]),
    );
    this.amazonOrders.replaceChildren(
      element('table', { class: 'demo-table' }, [
        element('thead', {}, [
          element(
            'tr',
            {},
            ['Amazon order', 'Placed', 'Market', 'Items', 'Total', 'Status on Amazon', 'In the shop', ''].map((h) =>
              element('th', {}, [h]),
            ),
          ),
        ]),
        element('tbody', {}, rows),
      ]),
    );
  }

  /** @param {DemoState} state */
  renderShopOrders({ shopOrders }) {
    if (shopOrders.length === 0) {
      this.shopOrders.replaceChildren(element('p', { class: 'demo-empty' }, ['No orders in the shop yet.']));
      return;
    }
    this.shopOrders.replaceChildren(
      table(
        ['Order number', 'Amazon order', 'Items', 'Total', 'Order state', 'Delivery', 'Created'],
        shopOrders.map((order) => [
          order.orderNumber ?? '—',
          order.amazonOrderId ?? '—',
          order.items.map((item) => `${item.quantity} × ${item.productNumber ?? item.label}`).join(', '),
          order.total === null ? '—' : money(order.total, order.currency ?? 'EUR'),
          order.state,
          order.deliveryState ?? '—',
          dateTime(order.createdAt),
        ]),
        (index) => ({ 'data-shop-order': shopOrders[index]?.amazonOrderId ?? '' }),
      ),
    );
  }

  /** @param {Notification[]} notifications */
  renderNotifications(notifications) {
    if (notifications.length === 0) {
      this.notifications.replaceChildren(element('p', { class: 'demo-empty' }, ['None yet.']));
      return;
    }
    this.notifications.replaceChildren(
      element(
        'ul',
        { class: 'demo-notifications' },
        notifications.map((n) =>
          element('li', { class: `demo-notification demo-notification--${n.status}` }, [
            element('span', { class: 'demo-notification__time' }, [dateTime(n.createdAt)]),
            element('span', {}, [n.message]),
          ]),
        ),
      ),
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Small helpers

/**
 * @param {Product} product
 * @param {Marketplace} marketplace
 * @param {Offer | undefined} offer
 */
function offerCell(product, marketplace, offer) {
  if (!offer) {
    return element(
      'td',
      { class: 'demo-amazon demo-offer--none', 'data-offer': `${product.productNumber}:${marketplace.country}` },
      ['—'],
    );
  }
  // A quantity or EUR price that differs from the shop's is a change still on its way (or a buffer/markup setting).
  const behind =
    offer.quantity !== product.stock ||
    (offer.currency === 'EUR' && product.price !== null && offer.price !== product.price);
  return element(
    'td',
    {
      class: `demo-amazon${behind ? ' demo-offer--differs' : ''}`,
      'data-offer': `${product.productNumber}:${marketplace.country}`,
      'data-quantity': String(offer.quantity ?? ''),
      title: `Amazon accepted this on ${dateTime(offer.updatedAt)}`,
    },
    [
      element('span', { class: 'demo-offer__quantity' }, [offer.quantity === null ? '—' : `${offer.quantity} pcs`]),
      element('span', { class: 'demo-offer__price' }, [
        offer.price === null ? 'no price' : money(offer.price, offer.currency ?? marketplace.currency),
      ]),
    ],
  );
}

/**
 * @param {string} title
 * @param {string} subtitle
 * @param {Node[]} children
 */
function card(title, subtitle, children) {
  return element('section', { class: 'sw-card demo-card' }, [
    element('div', { class: 'sw-card__header' }, [
      element('div', { class: 'sw-card__title' }, [title]),
      element('div', { class: 'sw-card__subtitle' }, [subtitle]),
    ]),
    element('div', { class: 'sw-card__content' }, children),
  ]);
}

/** @param {string} label @param {HTMLElement} control */
function field(label, control) {
  return element('label', { class: 'demo-field' }, [element('span', { class: 'demo-label' }, [label]), control]);
}

/**
 * @param {string[]} headers
 * @param {string[][]} rows
 * @param {(index: number) => Record<string, string>} [rowAttributes]
 */
function table(headers, rows, rowAttributes = () => ({})) {
  return element('table', { class: 'demo-table' }, [
    element('thead', {}, [
      element(
        'tr',
        {},
        headers.map((h) => element('th', {}, [h])),
      ),
    ]),
    element(
      'tbody',
      {},
      rows.map((cells, index) =>
        element(
          'tr',
          rowAttributes(index),
          cells.map((cell) => element('td', {}, [cell])),
        ),
      ),
    ),
  ]);
}

/**
 * Replaces a select's options when they changed, keeping the selection.
 * @param {HTMLSelectElement} select
 * @param {string[][]} options value and label pairs
 */
function setOptions(select, options) {
  const current = [...select.options].map((o) => `${o.value}\n${o.text}`).join('\n\n');
  const next = options.map(([value, label]) => `${value}\n${label}`).join('\n\n');
  if (current === next) return;
  const selected = select.value;
  select.replaceChildren(...options.map(([value, label]) => element('option', { value: value ?? '' }, [label ?? ''])));
  if (options.some(([value]) => value === selected)) select.value = selected;
}

/**
 * @param {string} tag
 * @param {Record<string, string>} [attributes]
 * @param {Array<Node | string>} [children]
 */
function element(tag, attributes = {}, children = []) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** @param {number} amount @param {string} currency */
function money(amount, currency) {
  try {
    return new Intl.NumberFormat('en-GB', { style: 'currency', currency }).format(amount);
  } catch {
    return `${amount} ${currency}`;
  }
}

/** @param {string} iso */
function dateTime(iso) {
  return new Date(iso).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}

/** @param {unknown} error */
function errorText(error) {
  return error instanceof Error ? error.message : String(error);
}
