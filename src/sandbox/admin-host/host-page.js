// @ts-check
/**
 * The browser side of the sandbox's stand-in for the Shopware Administration. It plays the Administration's part of
 * the meteor admin SDK's wire protocol for the app's iframes and renders a Dashboard and a Settings area around them.
 *
 * Wire protocol (what @shopware-ag/meteor-admin-sdk's channel.js sends and expects): every request is a JSON *string*
 * posted to the parent window, `{"_type": <message type>, "_data": {...}, "_callbackId": <id>}`. The Administration
 * answers the sending window with the JSON string `{"_type", "_callbackId", "_response"}`; `_response` is the handler's
 * result (null for void) or a serialized error `{"__type__":"__HandleError__","__code__":500,"__message__":...}`.
 * A type nobody handles gets no answer at all — the SDK then rejects after its 7 s timeout, as with the real
 * Administration.
 *
 * Plain JavaScript served as is (no build step); type-checked through tsconfig.admin.json.
 */

/**
 * @typedef {{ iframeUrlEndpoint: string, language: string, languages: string[], languageId: string,
 *   systemLanguageId: string, shopwareVersion: string, shopId: string, appName: string }} HostConfig
 * @typedef {{ group: string, icon: string, label: string, locationId: string, moduleId: string }} SettingsItem
 * @typedef {{ id: string, heading: string, locationId: string, displaySearchBar: boolean }} ModuleInfo
 * @typedef {{ component: string, positionId: string, props: { title?: string, subtitle?: string, locationId: string },
 *   src?: string }} ComponentSection
 * @typedef {{ title: string, message: string, variant: string, at: string }} AdminNotification
 * @typedef {(data: any, event: MessageEvent) => unknown} Handler
 */

/** @type {HostConfig} */
const config = JSON.parse(/** @type {HTMLElement} */ (document.getElementById('host-config')).textContent ?? '{}');

const TEXTS = /** @type {Record<string, Record<string, string>>} */ ({
  'en-GB': {
    dashboard: 'Dashboard',
    settings: 'Settings',
    welcome: 'Welcome to the Shopware Administration',
    sandbox: 'Sandbox — a stand-in for the Shopware Administration, hosting the app the way Shopware does.',
    shop: 'Shop',
    system: 'System',
    plugins: 'Extensions',
    back: 'Settings',
    language: 'Language',
    noSignedUrl: 'No signed URL for this location:',
    orders: 'Orders today',
    turnover: 'Turnover today',
  },
  'de-DE': {
    dashboard: 'Dashboard',
    settings: 'Einstellungen',
    welcome: 'Willkommen in der Shopware Administration',
    sandbox: 'Sandbox — ein Ersatz für die Shopware Administration, der die App so einbindet wie Shopware.',
    shop: 'Shop',
    system: 'System',
    plugins: 'Erweiterungen',
    back: 'Einstellungen',
    language: 'Sprache',
    noSignedUrl: 'Keine signierte URL für diese Location:',
    orders: 'Bestellungen heute',
    turnover: 'Umsatz heute',
  },
  'fr-FR': {
    dashboard: 'Tableau de bord',
    settings: 'Paramètres',
    welcome: "Bienvenue dans l'administration Shopware",
    sandbox: "Bac à sable — un substitut de l'administration Shopware qui intègre l'app comme Shopware.",
    shop: 'Boutique',
    system: 'Système',
    plugins: 'Extensions',
    back: 'Paramètres',
    language: 'Langue',
    noSignedUrl: "Pas d'URL signée pour cet emplacement :",
    orders: "Commandes aujourd'hui",
    turnover: "Chiffre d'affaires aujourd'hui",
  },
});
const text = TEXTS[config.language] ?? TEXTS['en-GB'] ?? {};

const HIDDEN_LOCATION = 'sw-main-hidden';
const SETTINGS_GROUPS = ['shop', 'system', 'plugins'];

/** What the host received and rendered; the end-to-end tests read it. */
const host = {
  /** @type {SettingsItem[]} */ settingsItems: [],
  /** @type {ModuleInfo[]} */ modules: [],
  /** @type {ComponentSection[]} */ componentSections: [],
  /** @type {AdminNotification[]} */ notifications: [],
  /** @type {Array<{ type: string, data: unknown }>} */ messages: [],
  /** @type {string[]} */ unhandled: [],
  /** @type {string[]} */ redirects: [],
};
Object.assign(window, { __adminHost: host });

// ---------------------------------------------------------------------------------------------------------------
// The SDK's channel, Administration side

/** @type {Record<string, Handler>} */
const handlers = {
  __registerWindow__: () => null,
  contextTheme: () => 'light',
  contextLocale: () => ({ locale: config.language, fallbackLocale: 'en-GB' }),
  contextLanguage: () => ({ languageId: config.languageId, systemLanguageId: config.systemLanguageId }),
  contextEnvironment: () => 'development',
  contextShopwareVersion: () => config.shopwareVersion,
  contextShopId: () => config.shopId,
  contextCurrency: () => ({ systemCurrencyISOCode: 'EUR', systemCurrencyId: 'b7d2554b0ce847cd82f3ac9bd1c0dfca' }),
  contextUserTimezone: () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC',
  contextAppInformation: () => ({ name: config.appName, version: '1.0.0', type: 'app', privileges: {} }),
  contextModuleInformation: () => ({ modules: host.modules }),
  windowGetId: () => 'sandbox-admin-window',
  windowRouterGetPath: () => currentPath(),
  windowReload: () => window.location.reload(),
  windowRedirect: (/** @type {{ url: string, newTab?: boolean }} */ data) => {
    host.redirects.push(data.url);
    if (data.newTab) window.open(data.url, '_blank');
    else window.location.href = data.url;
    return null;
  },
  windowRouterPush: (/** @type {{ name?: string, path?: string, params?: Record<string, string> }} */ data) => {
    navigate(routeFor(data));
    return null;
  },
  settingsItemAdd: (
    /** @type {{ label: string, locationId: string, icon: string, tab?: string, displaySearchBar?: boolean }} */ data,
  ) => {
    if (typeof data.label !== 'string' || typeof data.locationId !== 'string') {
      throw new Error('settingsItemAdd needs a label and a locationId');
    }
    // The Administration files unknown tabs under "Extensions" (plugins).
    const group = data.tab && SETTINGS_GROUPS.includes(data.tab) ? data.tab : 'plugins';
    const existing = host.settingsItems.find((item) => item.locationId === data.locationId);
    const moduleId = existing?.moduleId ?? uniqueModuleId(data.label);
    const item = { group, icon: data.icon, label: data.label, locationId: data.locationId, moduleId };
    const module = {
      id: moduleId,
      heading: data.label,
      locationId: data.locationId,
      displaySearchBar: data.displaySearchBar ?? true,
    };
    replaceOrAdd(host.settingsItems, item, (other) => other.locationId === data.locationId);
    replaceOrAdd(host.modules, module, (other) => other.locationId === data.locationId);
    if (currentPath().startsWith('/settings')) render();
    return null;
  },
  uiComponentSectionRenderer: (/** @type {ComponentSection} */ data) => {
    if (typeof data.positionId !== 'string' || typeof data.props?.locationId !== 'string') {
      throw new Error('uiComponentSectionRenderer needs a positionId and props.locationId');
    }
    replaceOrAdd(
      host.componentSections,
      data,
      (other) => other.positionId === data.positionId && other.props.locationId === data.props.locationId,
    );
    renderComponentSections();
    return null;
  },
  notificationDispatch: (/** @type {{ title?: string, message?: string, variant?: string }} */ data) => {
    showNotification(data);
    return null;
  },
  toastDispatch: (/** @type {{ msg?: string, type?: string }} */ data) => {
    showNotification({ title: '', message: data.msg ?? '', variant: data.type ?? 'info' });
    return null;
  },
  locationUpdateHeight: (/** @type {{ height: number, locationId: string | null }} */ data, event) => {
    const frame = appFrames().find((candidate) => candidate.contentWindow === event.source);
    if (frame && frame.dataset.locationId !== HIDDEN_LOCATION && Number.isFinite(Number(data.height))) {
      frame.style.height = `${Math.max(0, Math.ceil(Number(data.height)))}px`;
    }
    return null;
  },
  locationUpdateUrl: () => null,
};

window.addEventListener('message', (event) => {
  if (typeof event.data !== 'string') return;
  /** @type {any} */
  let message;
  try {
    message = JSON.parse(event.data);
  } catch {
    return;
  }
  if (!message || typeof message._type !== 'string' || !message._callbackId || !message._data) return;
  if (Object.hasOwn(message, '_response')) return;
  // Only the app's own iframes talk to the Administration.
  if (!appFrames().some((frame) => frame.contentWindow === event.source)) return;

  host.messages.push({ type: message._type, data: message._data });
  const handler = handlers[message._type];
  if (!handler) {
    host.unhandled.push(message._type);
    return;
  }
  Promise.resolve()
    .then(() => handler(message._data, event))
    .then(
      (response) => answer(event, message, response ?? null),
      (error) =>
        answer(event, message, {
          __type__: '__HandleError__',
          __code__: 500,
          __message__: error instanceof Error ? error.message : String(error),
        }),
    );
});

/**
 * @param {MessageEvent} event
 * @param {{ _type: string, _callbackId: string }} message
 * @param {unknown} response
 */
function answer(event, message, response) {
  const source = /** @type {Window | null} */ (event.source);
  source?.postMessage(
    JSON.stringify({ _type: message._type, _callbackId: message._callbackId, _response: response }),
    event.origin || '*',
  );
}

/**
 * @template T
 * @param {T[]} list
 * @param {T} entry
 * @param {(other: T) => boolean} same
 */
function replaceOrAdd(list, entry, same) {
  const index = list.findIndex(same);
  if (index === -1) list.push(entry);
  else list[index] = entry;
}

/** A readable module id for the route (`#/settings/amazon`), unique among registered modules. */
function uniqueModuleId(/** @type {string} */ label) {
  const base =
    label
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'module';
  let id = base;
  for (let n = 2; host.modules.some((module) => module.id === id); n += 1) id = `${base}-${n}`;
  return id;
}

// ---------------------------------------------------------------------------------------------------------------
// Routing: #/ (dashboard), #/settings, #/settings/<module id>

function currentPath() {
  return window.location.hash.replace(/^#/, '') || '/';
}

/** @param {{ name?: string, path?: string, params?: Record<string, string> }} target */
function routeFor(target) {
  if (target.name === 'sw.extension.sdk.index' && target.params?.id) return `/settings/${target.params.id}`;
  if (target.name === 'sw.dashboard.index' || target.path === '/sw/dashboard/index') return '/';
  if (target.name === 'sw.settings.index' || target.path?.startsWith('/sw/settings')) return '/settings';
  return target.path || '/';
}

function navigate(/** @type {string} */ path) {
  if (currentPath() === path) render();
  else window.location.hash = `#${path}`;
}

window.addEventListener('hashchange', () => render());

// ---------------------------------------------------------------------------------------------------------------
// Rendering

const title = /** @type {HTMLElement} */ (document.getElementById('page-title'));
const content = /** @type {HTMLElement} */ (document.getElementById('page-content'));
const toasts = /** @type {HTMLElement} */ (document.getElementById('toasts'));

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

/** @returns {HTMLIFrameElement[]} */
function appFrames() {
  return [...document.querySelectorAll('iframe[data-location-id]')].map((frame) => /** @type {any} */ (frame));
}

/**
 * An app iframe at the signed URL the shop hands out (what Shopware does through /api/_action/extension-sdk/sign-uri).
 * @param {string} locationId
 * @param {string} [className]
 */
function appFrame(locationId, className = '') {
  const frame = /** @type {HTMLIFrameElement} */ (
    element('iframe', { 'data-location-id': locationId, class: `sw-iframe-renderer ${className}`, title: locationId })
  );
  void signedUrl(locationId).then(
    (url) => {
      frame.src = url;
    },
    (error) => {
      frame.replaceWith(
        element('div', { class: 'sw-alert sw-alert--error', 'data-location-id-error': locationId }, [
          `${text.noSignedUrl} ${locationId} — ${error instanceof Error ? error.message : String(error)}`,
        ]),
      );
    },
  );
  return frame;
}

async function signedUrl(/** @type {string} */ locationId) {
  const query = new URLSearchParams({ 'location-id': locationId, language: config.language });
  const response = await fetch(`${config.iframeUrlEndpoint}?${query}`, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => null);
  if (!response.ok || typeof body?.url !== 'string') throw new Error(body?.error ?? `HTTP ${response.status}`);
  return body.url;
}

function render() {
  const path = currentPath();
  for (const link of document.querySelectorAll('[data-nav]')) {
    const target = link.getAttribute('data-nav') ?? '';
    link.classList.toggle('is-active', target === '/' ? path === '/' : path.startsWith(target));
  }
  if (path === '/settings') return renderSettings();
  if (path === '/sandbox') return renderSandbox();
  const moduleMatch = /^\/settings\/([^/]+)$/.exec(path);
  if (moduleMatch) return renderModule(decodeURIComponent(moduleMatch[1] ?? ''));
  return renderDashboard();
}

function renderDashboard() {
  title.textContent = text.dashboard ?? 'Dashboard';
  content.replaceChildren(
    element('div', { class: 'sw-dashboard' }, [
      element('h2', { class: 'sw-dashboard__welcome' }, [text.welcome ?? '']),
      element('p', { class: 'sw-dashboard__sandbox-note' }, [text.sandbox ?? '']),
      element('div', { class: 'sw-extension-component-section', 'data-position-id': 'sw-dashboard__before-content' }),
      element('div', { class: 'sw-dashboard__statistics' }, [
        statisticCard(text.orders ?? '', '0'),
        statisticCard(text.turnover ?? '', '0,00 €'),
      ]),
    ]),
  );
  renderComponentSections();
}

/** @param {string} label @param {string} value */
function statisticCard(label, value) {
  return element('div', { class: 'sw-card sw-card--statistic' }, [
    element('div', { class: 'sw-card__title' }, [label]),
    element('div', { class: 'sw-card__value' }, [value]),
  ]);
}

/** Renders (or keeps) the app's cards at each position on the page, without reloading iframes already there. */
function renderComponentSections() {
  for (const position of document.querySelectorAll('[data-position-id]')) {
    const positionId = position.getAttribute('data-position-id');
    const sections = host.componentSections.filter((section) => section.positionId === positionId);
    for (const section of sections) {
      const key = `${section.positionId}::${section.props.locationId}`;
      const existing = [...position.children].find((child) => child.getAttribute('data-section') === key);
      if (existing) {
        const heading = existing.querySelector('.sw-card__title');
        if (heading) heading.textContent = section.props.title ?? '';
        continue;
      }
      const body = appFrame(section.props.locationId, 'sw-card__iframe');
      const card =
        section.component === 'card'
          ? element(
              'div',
              { class: 'sw-card', 'data-section': key, 'data-location-id-card': section.props.locationId },
              [
                element('div', { class: 'sw-card__header' }, [
                  element('div', { class: 'sw-card__title' }, [section.props.title ?? '']),
                  element('div', { class: 'sw-card__subtitle' }, [section.props.subtitle ?? '']),
                ]),
                element('div', { class: 'sw-card__content' }, [body]),
              ],
            )
          : element('div', { 'data-section': key }, [body]);
      position.append(card);
    }
  }
}

function renderSettings() {
  title.textContent = text.settings ?? 'Settings';
  const groups = SETTINGS_GROUPS.map((group) => {
    const items = host.settingsItems.filter((item) => item.group === group);
    return element('section', { class: 'sw-settings__group', 'data-group': group }, [
      element('h3', {}, [text[group] ?? group]),
      element(
        'div',
        { class: 'sw-settings__items' },
        items.length === 0
          ? [element('p', { class: 'sw-settings__empty' }, ['—'])]
          : items.map((item) =>
              element(
                'a',
                {
                  class: 'sw-settings-item',
                  href: `#/settings/${item.moduleId}`,
                  'data-settings-item': item.locationId,
                },
                [
                  element('span', { class: 'sw-settings-item__icon', 'aria-hidden': 'true', 'data-icon': item.icon }, [
                    item.label.slice(0, 1).toUpperCase(),
                  ]),
                  element('span', { class: 'sw-settings-item__label' }, [item.label]),
                ],
              ),
            ),
      ),
    ]);
  });
  content.replaceChildren(element('div', { class: 'sw-settings' }, groups));
}

function renderModule(/** @type {string} */ moduleId) {
  const module = host.modules.find((candidate) => candidate.id === moduleId);
  if (!module) {
    // The hidden iframe may not have registered the module yet; settingsItemAdd renders again when it does.
    title.textContent = text.settings ?? 'Settings';
    content.replaceChildren(element('div', { class: 'sw-loader', 'data-waiting-for-module': moduleId }, ['…']));
    return;
  }
  title.textContent = module.heading;
  content.replaceChildren(
    element('div', { class: 'sw-extension-sdk-module' }, [
      element('a', { class: 'sw-page__back', href: '#/settings' }, [`← ${text.back}`]),
      appFrame(module.locationId, 'sw-extension-sdk-module__iframe'),
    ]),
  );
}

/** The sandbox demo's page (src/sandbox/demo/demo-page.js), served by the demo routes beside this host. */
function renderSandbox() {
  title.textContent = 'Sandbox';
  content.replaceChildren(element('div', { class: 'sw-loader' }, ['…']));
  const pageUrl = '/sandbox/demo/page.js';
  import(pageUrl).then(
    (page) => {
      if (currentPath() === '/sandbox') page.renderSandboxPage(content);
    },
    (error) => {
      content.replaceChildren(
        element('div', { class: 'sw-alert sw-alert--error' }, [`The sandbox page cannot be loaded: ${error}`]),
      );
    },
  );
}

/** @param {{ title?: string, message?: string, variant?: string }} data */
function showNotification(data) {
  // Shopware sanitizes the message HTML; the sandbox keeps only its text.
  const message = new DOMParser().parseFromString(data.message ?? '', 'text/html').body.textContent ?? '';
  const notification = {
    title: data.title ?? '',
    message,
    variant: data.variant ?? 'info',
    at: new Date().toISOString(),
  };
  host.notifications.push(notification);
  const toast = element('div', { class: `sw-notification sw-notification--${notification.variant}`, role: 'status' }, [
    element('strong', {}, [notification.title]),
    element('div', {}, [notification.message]),
  ]);
  toasts.append(toast);
  setTimeout(() => toast.remove(), 15_000);
}

// ---------------------------------------------------------------------------------------------------------------
// Start: language switcher, the hidden location (loaded on every Administration start), the current page

for (const link of document.querySelectorAll('[data-nav]')) {
  const nav = link.getAttribute('data-nav');
  if (nav === '/') link.textContent = text.dashboard ?? '';
  if (nav === '/settings') link.textContent = text.settings ?? '';
}
const languageLabel = document.querySelector('.sw-admin-menu__language span');
if (languageLabel) languageLabel.textContent = text.language ?? 'Language';

const languageSelect = /** @type {HTMLSelectElement} */ (document.getElementById('language'));
languageSelect.value = config.language;
languageSelect.addEventListener('change', () => {
  // Like changing the profile language in Shopware: the Administration (and every app iframe) loads again.
  const url = new URL(window.location.href);
  url.searchParams.set('language', languageSelect.value);
  window.location.href = url.toString();
});

/** @type {HTMLElement} */ (document.getElementById('hidden-iframes')).append(appFrame(HIDDEN_LOCATION));
render();
