import { z } from 'zod';
import type { Region } from '../amazon/regions.ts';

export interface AppConfig {
  appUrl: string;
  appName: string;
  appSecret: string;
  databaseUrl: string | null;
  dataDir: string;
  /** base64 of 32 bytes; null only in sandbox mode before the sandbox has generated one under DATA_DIR. */
  encryptionKey: string | null;
  sandbox: boolean;
  port: number;
  host: string;
  logLevel: string;
  amazon: {
    applicationId: string;
    lwaClientId: string;
    lwaClientSecret: string;
    redirectUri: string;
    loginUri: string;
    draft: boolean;
    lwaTokenUrl: string;
    sellerCentralUrls: Record<Region, string>;
    spApiUrls: Record<Region, string>;
  };
  sync: { orderPollSeconds: number; reconcileMinutes: number };
}

export type ConfigResult = { ok: true; config: AppConfig } | { ok: false; problems: string[] };

const url = z
  .string()
  .url()
  .refine((value) => /^https?:\/\//.test(value), 'must be an http(s) URL');
const base64Key = z
  .string()
  .refine(
    (value) => Buffer.from(value, 'base64').length === 32,
    'must be 32 bytes, base64-encoded (openssl rand -base64 32)',
  );
const flag = z.enum(['0', '1', 'true', 'false']).transform((value) => value === '1' || value === 'true');
const positiveInt = z.coerce.number().int().positive();

const environment = z.object({
  SANDBOX: flag.default('0'),
  APP_URL: url.optional(),
  APP_NAME: z
    .string()
    .regex(/^[A-Za-z][A-Za-z0-9]*$/, 'must be the technical app name from manifest.xml')
    .default('AmazonBridge'),
  APP_SECRET: z.string().min(16, 'must be at least 16 characters').optional(),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  DATA_DIR: z.string().min(1).default('var'),
  ENCRYPTION_KEY: base64Key.optional(),
  AMAZON_APP_ID: z.string().min(1).optional(),
  AMAZON_LWA_CLIENT_ID: z.string().min(1).optional(),
  AMAZON_LWA_CLIENT_SECRET: z.string().min(1).optional(),
  AMAZON_REDIRECT_URI: url.optional(),
  AMAZON_APP_DRAFT: flag.default('0'),
  AMAZON_LWA_TOKEN_URL: url.optional(),
  AMAZON_SELLER_CENTRAL_URL: url.optional(),
  AMAZON_SPAPI_URL_NA: url.optional(),
  AMAZON_SPAPI_URL_EU: url.optional(),
  AMAZON_SPAPI_URL_FE: url.optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SYNC_ORDER_POLL_SECONDS: positiveInt.default(180),
  SYNC_RECONCILE_MINUTES: positiveInt.default(60),
});

/** Values the sandbox stand-ins are configured with; never valid against the real Amazon or a real shop. */
export const SANDBOX_DEFAULTS = {
  appSecret: 'sandbox-app-secret-not-for-production',
  applicationId: 'amzn1.sp.solution.00000000-0000-0000-0000-000000sandbox',
  lwaClientId: 'amzn1.application-oa2-client.sandbox',
  lwaClientSecret: 'sandbox-lwa-client-secret',
} as const;

const PRODUCTION_ENDPOINTS = {
  lwaTokenUrl: 'https://api.amazon.com/auth/o2/token',
  sellerCentralUrls: {
    na: 'https://sellercentral.amazon.com',
    eu: 'https://sellercentral-europe.amazon.com',
    fe: 'https://sellercentral.amazon.co.jp',
  },
  spApiUrls: {
    na: 'https://sellingpartnerapi-na.amazon.com',
    eu: 'https://sellingpartnerapi-eu.amazon.com',
    fe: 'https://sellingpartnerapi-fe.amazon.com',
  },
} as const;

/** Parses the environment once at start; every problem is named so an operator can fix them all in one go. */
export function parseConfig(env: Record<string, string | undefined>): ConfigResult {
  const parsed = environment.safeParse(stripEmpty(env));
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) };
  }
  const e = parsed.data;
  const sandbox = e.SANDBOX;
  const problems: string[] = [];
  const required = <T>(name: string, value: T | undefined, sandboxDefault?: T): T => {
    if (value !== undefined) return value;
    if (sandbox && sandboxDefault !== undefined) return sandboxDefault;
    problems.push(`${name}: is required${sandbox ? '' : ' (or set SANDBOX=1 for the local demo)'}`);
    return undefined as T;
  };
  const appUrl = trimSlash(required('APP_URL', e.APP_URL, `http://${e.HOST}:${e.PORT}`));
  const sandboxAmazon = `${appUrl}/sandbox/amazon`;
  const config: AppConfig = {
    appUrl,
    appName: e.APP_NAME,
    appSecret: required('APP_SECRET', e.APP_SECRET, SANDBOX_DEFAULTS.appSecret),
    databaseUrl: e.DATABASE_URL ?? null,
    dataDir: e.DATA_DIR,
    encryptionKey: sandbox ? (e.ENCRYPTION_KEY ?? null) : required('ENCRYPTION_KEY', e.ENCRYPTION_KEY),
    sandbox,
    port: e.PORT,
    host: e.HOST,
    logLevel: e.LOG_LEVEL,
    amazon: {
      applicationId: required('AMAZON_APP_ID', e.AMAZON_APP_ID, SANDBOX_DEFAULTS.applicationId),
      lwaClientId: required('AMAZON_LWA_CLIENT_ID', e.AMAZON_LWA_CLIENT_ID, SANDBOX_DEFAULTS.lwaClientId),
      lwaClientSecret: required(
        'AMAZON_LWA_CLIENT_SECRET',
        e.AMAZON_LWA_CLIENT_SECRET,
        SANDBOX_DEFAULTS.lwaClientSecret,
      ),
      redirectUri: required('AMAZON_REDIRECT_URI', e.AMAZON_REDIRECT_URI, `${appUrl}/amazon/oauth/callback`),
      loginUri: `${appUrl}/amazon/oauth/login`,
      draft: e.AMAZON_APP_DRAFT,
      lwaTokenUrl:
        e.AMAZON_LWA_TOKEN_URL ?? (sandbox ? `${sandboxAmazon}/auth/o2/token` : PRODUCTION_ENDPOINTS.lwaTokenUrl),
      sellerCentralUrls: sameForAllRegions(
        e.AMAZON_SELLER_CENTRAL_URL ?? (sandbox ? `${sandboxAmazon}/sellercentral` : undefined),
        PRODUCTION_ENDPOINTS.sellerCentralUrls,
      ),
      spApiUrls: {
        na: e.AMAZON_SPAPI_URL_NA ?? (sandbox ? `${sandboxAmazon}/spapi/na` : PRODUCTION_ENDPOINTS.spApiUrls.na),
        eu: e.AMAZON_SPAPI_URL_EU ?? (sandbox ? `${sandboxAmazon}/spapi/eu` : PRODUCTION_ENDPOINTS.spApiUrls.eu),
        fe: e.AMAZON_SPAPI_URL_FE ?? (sandbox ? `${sandboxAmazon}/spapi/fe` : PRODUCTION_ENDPOINTS.spApiUrls.fe),
      },
    },
    sync: { orderPollSeconds: e.SYNC_ORDER_POLL_SECONDS, reconcileMinutes: e.SYNC_RECONCILE_MINUTES },
  };
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config };
}

function stripEmpty(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined && entry[1] !== ''),
  );
}

function trimSlash(value: string): string {
  return value?.replace(/\/+$/, '');
}

function sameForAllRegions(override: string | undefined, defaults: Record<Region, string>): Record<Region, string> {
  if (!override) return { ...defaults };
  const base = trimSlash(override);
  return { na: base, eu: base, fe: base };
}
