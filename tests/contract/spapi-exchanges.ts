import { operationOf, SP_API_OPERATIONS } from '../../src/sandbox/amazon/sp-api.ts';
import { loadSpApiModel } from './spapi-validator.ts';

/** One request to Amazon and its answer as they crossed the wire; bodies as text (`undefined`/`''` when none). */
export interface SpApiExchange {
  method: string;
  url: URL;
  headers: Headers;
  requestBody: string | undefined;
  status: number;
  responseBody: string;
}

/**
 * A fetch that records every exchange whose URL `watched` accepts into `exchanges` (and hands it to `onRecorded`),
 * changing nothing on the way. `base` is called at request time, so it may be the global fetch of that moment.
 */
export function recordingFetch(
  base: () => typeof fetch,
  watched: (url: URL) => boolean,
  exchanges: SpApiExchange[],
  onRecorded: (exchange: SpApiExchange) => void = () => {},
): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!watched(url)) return base()(request);
    const requestBody = request.body ? await request.clone().text() : undefined;
    const response = await base()(request);
    const exchange: SpApiExchange = {
      method: request.method,
      url,
      headers: request.headers,
      requestBody,
      status: response.status,
      responseBody: await response.clone().text(),
    };
    exchanges.push(exchange);
    onRecorded(exchange);
    return response;
  };
}

/**
 * Records the watched exchanges of every `fetch` in this process until `restore` (the server's SP-API client takes
 * `globalThis.fetch` when it is built, so install this before the sandbox starts).
 */
export function recordGlobalFetch(watched: (url: URL) => boolean): { exchanges: SpApiExchange[]; restore(): void } {
  const original = globalThis.fetch;
  const exchanges: SpApiExchange[] = [];
  globalThis.fetch = recordingFetch(() => original, watched, exchanges);
  return {
    exchanges,
    restore: () => {
      globalThis.fetch = original;
    },
  };
}

/** The path below the regional SP-API host, e.g. `/listings/2021-08-01/items/…`, of a call to `…/spapi/<region>`. */
export function amazonPath(url: URL): string {
  return url.pathname.replace(/^.*\/spapi\/[a-z]+/, '');
}

/** The operationId an SP-API exchange calls, from its method and path (`undefined` for none of Amazon's). */
export function operationIdOf(exchange: Pick<SpApiExchange, 'method' | 'url'>): string | undefined {
  return operationOf(exchange.method, amazonPath(exchange.url));
}

/**
 * Everything in one SP-API exchange that disagrees with Amazon's model of the operation it calls: the query, the
 * request body and the answer for its status. A call to no modelled operation is a problem too.
 */
export function spApiExchangeProblems(exchange: SpApiExchange): string[] {
  const id = operationIdOf(exchange);
  const operation = SP_API_OPERATIONS.find((o) => o.operationId === id);
  if (!id || !operation) return [`${exchange.method} ${amazonPath(exchange.url)} is no operation of Amazon's models`];
  const model = loadSpApiModel(operation.model);
  const body = exchange.requestBody ? JSON.parse(exchange.requestBody) : undefined;
  const response = exchange.responseBody === '' ? undefined : JSON.parse(exchange.responseBody);
  return [
    ...model.validateQuery(id, exchange.url.searchParams).errors.map((e) => `${id} query: ${e}`),
    ...model.validateRequestBody(id, body).errors.map((e) => `${id} request body: ${e}`),
    ...model
      .validateResponse(id, exchange.status, response)
      .errors.map((e) => `${id} ${exchange.status} response: ${e}`),
  ];
}
