import { describe, expect, it } from 'vitest';
import { operationIdOf, type SpApiExchange, spApiExchangeProblems } from './spapi-exchanges.ts';

const HOST = 'http://127.0.0.1:9/sandbox/amazon/spapi/eu';
const exchange = (method: string, path: string, status: number, responseBody: unknown, requestBody?: unknown) =>
  ({
    method,
    url: new URL(`${HOST}${path}`),
    headers: new Headers(),
    requestBody: requestBody === undefined ? undefined : JSON.stringify(requestBody),
    status,
    responseBody: responseBody === undefined ? '' : JSON.stringify(responseBody),
  }) satisfies SpApiExchange;

describe('an SP-API exchange checked against the model of the operation it calls', () => {
  const patchPath = '/listings/2021-08-01/items/A2Q8OS6DZ3KE7N/AB-1001?marketplaceIds=A1PA6795UKMFR9';
  const patch = {
    productType: 'PRODUCT',
    patches: [
      { op: 'replace', path: '/attributes/fulfillment_availability', value: [{ fulfillment_channel_code: 'DEFAULT' }] },
    ],
  };
  const accepted = { sku: 'AB-1001', status: 'ACCEPTED', submissionId: 'f1dc2914-75dd-11ea-bc55-0242ac130003' };

  it('finds the operation from method and path below the regional host', () => {
    expect(operationIdOf(exchange('PATCH', patchPath, 200, accepted, patch))).toBe('patchListingsItem');
    expect(operationIdOf(exchange('GET', '/orders/2026-01-01/orders', 200, {}))).toBe('searchOrders');
    expect(operationIdOf(exchange('DELETE', '/orders/2026-01-01/orders', 200, {}))).toBeUndefined();
  });

  it('passes an exchange that follows the model', () => {
    expect(spApiExchangeProblems(exchange('PATCH', patchPath, 200, accepted, patch))).toEqual([]);
  });

  it('names what a request body, an answer or the query gets wrong', () => {
    const [body] = spApiExchangeProblems(exchange('PATCH', patchPath, 200, accepted, { patches: patch.patches }));
    expect(body).toMatch(/^patchListingsItem request body: .*productType/);
    const [answer] = spApiExchangeProblems(exchange('PATCH', patchPath, 200, { sku: 'AB-1001' }, patch));
    expect(answer).toMatch(/^patchListingsItem 200 response: /);
    const withoutMarketplace = patchPath.replace(/\?.*$/, '');
    const [query] = spApiExchangeProblems(exchange('PATCH', withoutMarketplace, 200, accepted, patch));
    expect(query).toMatch(/^patchListingsItem query: .*marketplaceIds/);
  });

  it('refuses a call to no operation of Amazon', () => {
    expect(spApiExchangeProblems(exchange('GET', '/listings/2021-08-01/nothing', 404, undefined))).toEqual([
      "GET /listings/2021-08-01/nothing is no operation of Amazon's models",
    ]);
  });
});
