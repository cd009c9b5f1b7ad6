import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../project-root.ts';

/** The host every URL in the committed manifest.xml points at; an install replaces it with its APP_URL. */
export const MANIFEST_PLACEHOLDER_URL = 'https://amazon-bridge.example.com';
export const MANIFEST_PATH = join(PROJECT_ROOT, 'manifest.xml');

export interface ManifestFacts {
  name: string;
  version: string;
  registrationUrl: string;
  secret: string | null;
  baseAppUrl: string | null;
  webhooks: Array<{ name: string; url: string; event: string }>;
  permissions: Array<{ kind: string; value: string }>;
}

export function readCommittedManifest(): string {
  return readFileSync(MANIFEST_PATH, 'utf8');
}

/**
 * The manifest for one installation: the committed manifest.xml with its placeholder host replaced by APP_URL and,
 * for a private install without the Shopware Store, the app secret added to `<setup>`.
 */
export function renderManifest(xml: string, options: { appUrl: string; secret?: string | null }): string {
  const appUrl = options.appUrl.replace(/\/+$/, '');
  let rendered = xml.split(MANIFEST_PLACEHOLDER_URL).join(escapeXml(appUrl));
  if (options.secret) {
    rendered = rendered.replace(
      /(<registrationUrl>[^<]*<\/registrationUrl>)/,
      `$1\n        <secret>${escapeXml(options.secret)}</secret>`,
    );
  }
  return rendered;
}

/** Reads the facts a shop takes from a manifest; the manifest's shape is fixed by our own file and Shopware's XSD. */
export function readManifestFacts(xml: string): ManifestFacts {
  const text = (tag: string) => unescapeXml(xml.match(new RegExp(`<${tag}>([^<]*)</${tag}>`))?.[1] ?? '') || null;
  const webhooks = [...xml.matchAll(/<webhook\s+([^>]*?)\/?>/g)].map((match) => {
    const attributes = Object.fromEntries(
      [...(match[1] ?? '').matchAll(/([\w-]+)="([^"]*)"/g)].map((a) => [a[1], unescapeXml(a[2] ?? '')]),
    );
    return { name: attributes.name ?? '', url: attributes.url ?? '', event: attributes.event ?? '' };
  });
  const permissionsBlock = xml.match(/<permissions>([\s\S]*?)<\/permissions>/)?.[1] ?? '';
  const permissions = [...permissionsBlock.matchAll(/<(read|create|update|delete|permission)>([^<]+)<\/\1>/g)].map(
    (m) => ({
      kind: m[1] ?? '',
      value: m[2] ?? '',
    }),
  );
  return {
    name: text('name') ?? '',
    version: text('version') ?? '',
    registrationUrl: text('registrationUrl') ?? '',
    secret: text('secret'),
    baseAppUrl: text('base-app-url'),
    webhooks,
    permissions,
  };
}

function escapeXml(value: string): string {
  return value.replace(
    /[<>&"']/g,
    (ch) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[ch] ?? ch,
  );
}

function unescapeXml(value: string): string {
  return value.replace(
    /&(lt|gt|amp|quot|apos);/g,
    (_, entity: string) => ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" })[entity] ?? '',
  );
}
