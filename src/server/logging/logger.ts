import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/** Keys whose values never reach a log line, wherever they appear (two levels deep is what we log). */
const SECRET_KEYS = [
  'authorization',
  'x-amz-access-token',
  'accessToken',
  'access_token',
  'refreshToken',
  'refresh_token',
  'code',
  'spapi_oauth_code',
  'state',
  'amazon_state',
  'secret',
  'secretKey',
  'apiKey',
  'appSecret',
  'shopSecret',
  'clientSecret',
  'client_secret',
  'encryptionKey',
  'password',
  'shopware-shop-signature',
  'shopware-app-signature',
];

const REDACT_PATHS = SECRET_KEYS.flatMap((key) => {
  const safe = /^[A-Za-z_$][\w$]*$/.test(key) ? key : `["${key}"]`;
  const member = safe.startsWith('[') ? safe : `.${safe}`;
  return [safe.startsWith('[') ? safe.slice(1, -1).replace(/"/g, '') : safe, `*${member}`, `*.*${member}`];
});

export function createLogger(level: string, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      base: { service: 'amazon-bridge' },
      redact: { paths: REDACT_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    destination,
  );
}
