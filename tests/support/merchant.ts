import type { Sandbox } from '../../src/sandbox/start.ts';

/** What a merchant's browser does, over plain HTTP: an admin session, the UI API, and the Seller Central pop-up. */
export async function adminSession(sandbox: Sandbox, locationId = 'amazon-bridge-access-data'): Promise<string> {
  const page = await fetch(sandbox.shop.signedIframeUrl(locationId));
  const html = await page.text();
  const session = html.match(/<meta name="amazon-bridge-session" content="([^"]+)">/)?.[1];
  if (page.status !== 200 || !session) throw new Error(`no admin session (HTTP ${page.status})`);
  return session;
}

export async function clientApi<T = Record<string, unknown>>(
  sandbox: Sandbox,
  session: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${sandbox.appUrl}/client-api${path}`, {
    method,
    headers: {
      authorization: `Bearer ${session}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** A browser window with its own cookies, following redirects by hand so each hop can be inspected. */
export class BrowserWindow {
  readonly cookies = new Map<string, string>();

  async open(url: string, init: { method?: string; form?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = {};
    const cookie = [...this.cookies.entries()].map(([k, v]) => `${k}=${v}`).join('; ');
    if (cookie) headers.cookie = cookie;
    let body: string | undefined;
    if (init.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    const response = await fetch(url, {
      method: init.method ?? (body ? 'POST' : 'GET'),
      headers,
      body,
      redirect: 'manual',
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair] = setCookie.split(';');
      const [name, ...value] = (pair ?? '').split('=');
      if (name) this.cookies.set(name.trim(), value.join('='));
    }
    return response;
  }

  /** Opens a URL and follows redirects until a page is shown. */
  async follow(
    url: string,
    init: { form?: Record<string, string> } = {},
  ): Promise<{ url: string; response: Response; hops: string[] }> {
    const hops: string[] = [url];
    let response = await this.open(url, init);
    let current = url;
    while (response.status >= 300 && response.status < 400) {
      current = new URL(response.headers.get('location') ?? '', current).toString();
      hops.push(current);
      response = await this.open(current);
    }
    return { url: current, response, hops };
  }
}

export interface ConsentResult {
  /** Where Amazon's redirect led (the app's callback), and the page the pop-up shows there. */
  url: string;
  status: number;
  html: string;
  hops: string[];
}

/**
 * Press the red button's server side: ask for a consent URL, open it in a pop-up window, and answer Seller Central's
 * consent page (Confirm with the checkbox, or Cancel).
 */
export async function authorizeInPopup(
  sandbox: Sandbox,
  session: string,
  options: {
    decision?: 'confirm' | 'cancel';
    region?: string;
    window?: BrowserWindow;
    beforeCallback?: () => void | Promise<void>;
  } = {},
): Promise<ConsentResult> {
  const started = await clientApi<{ consentUrl: string }>(sandbox, session, 'POST', '/amazon/authorize', {
    region: options.region ?? 'eu',
  });
  if (started.status !== 200) throw new Error(`authorize answered ${started.status}`);
  const popup = options.window ?? new BrowserWindow();
  const consent = await popup.follow(started.body.consentUrl);
  return answerConsent(popup, consent, options);
}

export async function answerConsent(
  popup: BrowserWindow,
  consent: { url: string; response: Response; hops: string[] },
  options: { decision?: 'confirm' | 'cancel'; beforeCallback?: () => void | Promise<void> } = {},
): Promise<ConsentResult> {
  const html = await consent.response.text();
  const hidden = Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], decode(m[2] ?? '')]),
  );
  const decision = options.decision ?? 'confirm';
  const answered = await popup.open(consent.url.split('?')[0] ?? consent.url, {
    form: { ...hidden, decision, ...(decision === 'confirm' ? { consent: 'yes' } : {}) },
  });
  const callback = answered.headers.get('location');
  if (answered.status !== 302 || !callback) throw new Error(`Seller Central answered ${answered.status}`);
  await options.beforeCallback?.();
  const result = await popup.follow(callback);
  return {
    url: result.url,
    status: result.response.status,
    html: await result.response.text(),
    hops: [...consent.hops, ...result.hops],
  };
}

function decode(value: string): string {
  return value
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"');
}
