import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  MANIFEST_PATH,
  MANIFEST_PLACEHOLDER_URL,
  readCommittedManifest,
  readManifestFacts,
  renderManifest,
} from '../../src/server/shopware/manifest.ts';
import { LIFECYCLE_EVENTS, SHOPWARE_PATHS } from '../../src/server/shopware/routes.ts';

const SCHEMAS = ['manifest-2.0.xsd', 'manifest-3.0.xsd'].map((file) =>
  fileURLToPath(new URL(`../../../shared/specs/shopware/${file}`, import.meta.url)),
);

function validate(file: string, schema: string): string {
  try {
    return execFileSync('xmllint', ['--noout', '--schema', schema, file], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    const failure = error as { stderr?: string };
    throw new Error(`${file} does not validate against ${schema}:\n${failure.stderr}`);
  }
}

describe('manifest.xml', () => {
  it.each(SCHEMAS)('validates against Shopware schema %s', (schema) => {
    expect(() => validate(MANIFEST_PATH, schema)).not.toThrow();
  });

  it.each(SCHEMAS)('still validates once rendered for an operator with a private-install secret (%s)', (schema) => {
    const rendered = renderManifest(readCommittedManifest(), {
      appUrl: 'https://bridge.example.org/',
      secret: 'top&secret',
    });
    const file = join(mkdtempSync(join(tmpdir(), 'manifest-')), 'manifest.xml');
    writeFileSync(file, rendered);
    expect(() => validate(file, schema)).not.toThrow();
    const facts = readManifestFacts(rendered);
    expect(facts.secret).toBe('top&secret');
    expect(facts.registrationUrl).toBe('https://bridge.example.org/app/register');
    expect(rendered).not.toContain(MANIFEST_PLACEHOLDER_URL);
  });

  it('names AmazonBridge in three languages and points every URL at a route the server has', () => {
    const xml = readCommittedManifest();
    const facts = readManifestFacts(xml);
    expect(facts.name).toBe('AmazonBridge');
    for (const lang of ['de-DE', 'fr-FR']) expect(xml).toContain(`<label lang="${lang}">`);
    expect(facts.secret).toBeNull();
    expect(facts.registrationUrl).toBe(`${MANIFEST_PLACEHOLDER_URL}${SHOPWARE_PATHS.registration}`);
    expect(facts.baseAppUrl).toBe(`${MANIFEST_PLACEHOLDER_URL}${SHOPWARE_PATHS.admin}`);
    for (const [event, step] of Object.entries(LIFECYCLE_EVENTS)) {
      expect(facts.webhooks).toContainEqual(
        expect.objectContaining({ event, url: `${MANIFEST_PLACEHOLDER_URL}${SHOPWARE_PATHS.lifecycle}/${step}` }),
      );
    }
    const entityEvents = facts.webhooks.filter((w) => !w.event.startsWith('app.')).map((w) => w.event);
    expect(entityEvents.sort()).toEqual([
      'order.written',
      'order_delivery.written',
      'product.written',
      'state_enter.order_delivery.state.shipped',
    ]);
    for (const w of facts.webhooks.filter((w) => !w.event.startsWith('app.'))) {
      expect(w.url.startsWith(`${MANIFEST_PLACEHOLDER_URL}${SHOPWARE_PATHS.webhooks}/`)).toBe(true);
    }
  });

  it('asks for the permissions the sync needs, and for reading every entity it receives webhooks of', () => {
    const { permissions } = readManifestFacts(readCommittedManifest());
    const has = (kind: string, value: string) => permissions.some((p) => p.kind === kind && p.value === value);
    for (const entity of [
      'product',
      'order',
      'order_delivery',
      'currency',
      'sales_channel',
      'state_machine',
      'system_config',
    ]) {
      expect(has('read', entity), `read ${entity}`).toBe(true);
    }
    expect(has('update', 'product')).toBe(true);
    for (const entity of [
      'order',
      'order_customer',
      'order_address',
      'order_line_item',
      'order_delivery',
      'order_transaction',
    ]) {
      expect(has('create', entity) && has('update', entity), `create/update ${entity}`).toBe(true);
    }
    expect(has('permission', 'notification:create')).toBe(true);
  });
});

describe('npm run package:app', () => {
  const script = fileURLToPath(new URL('../../scripts/package-app.ts', import.meta.url));
  const run = (args: string[], env: Record<string, string> = {}) =>
    execFileSync(process.execPath, ['--import', 'tsx', script, ...args], {
      encoding: 'utf8',
      stdio: 'pipe',
      env: { PATH: process.env.PATH ?? '', ...env },
      cwd: fileURLToPath(new URL('../..', import.meta.url)),
    });

  it('writes the app folder a shop installs: the manifest for this APP_URL with the secret, and Resources', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'app-')), 'AmazonBridge');
    run(['--app-url', 'https://bridge.example.org', '--with-secret', '--out', out], {
      APP_SECRET: 'private-install-secret',
    });
    const manifest = readFileSync(join(out, 'manifest.xml'), 'utf8');
    expect(readManifestFacts(manifest)).toMatchObject({
      registrationUrl: 'https://bridge.example.org/app/register',
      secret: 'private-install-secret',
    });
    expect(existsSync(join(out, 'Resources/config/plugin.png'))).toBe(true);
    for (const schema of SCHEMAS) expect(() => validate(join(out, 'manifest.xml'), schema)).not.toThrow();
  });

  it('refuses to run without an app URL, or with a missing secret for a private install', () => {
    expect(() => run([])).toThrow(/--app-url/);
    expect(() => run(['--app-url', 'https://bridge.example.org', '--with-secret'])).toThrow(/APP_SECRET/);
  });
});
