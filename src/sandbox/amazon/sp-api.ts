import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** SP-API regions and the path segment each stand-in region is served under (`/spapi/na`, ...). */
export type Region = 'na' | 'eu' | 'fe';
export const REGIONS: readonly Region[] = ['na', 'eu', 'fe'];

/**
 * What the SP-API access-token middleware puts on the context of every stand-in SP-API route:
 * the selling partner the `x-amz-access-token` belongs to, and the region of the endpoint that was called.
 */
export type SpApiEnv = { Variables: { sellerId: string; region: Region } };

/** Amazon's ErrorList body (`{"errors":[{code,message,details}]}`), as every SP-API model defines it. */
export function spApiError(c: Context, status: ContentfulStatusCode, code: string, message: string, details?: string) {
  const error: { code: string; message: string; details?: string } = { code, message };
  if (details !== undefined) error.details = details;
  return c.json({ errors: [error] }, status, { 'x-amzn-RequestId': crypto.randomUUID() });
}
