import { readFileSync } from 'node:fs';
import { Ajv, type AnySchema, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';

/**
 * Contract checks against Amazon's own models in ../shared/specs/spapi (Swagger 2.0 for the APIs, plain JSON Schema
 * for feed documents). The specs live beside the repository, locally and in CI.
 */
export const SPAPI_SPECS_DIR = new URL('../../../shared/specs/spapi/', import.meta.url);

export interface ValidationResult {
  valid: boolean;
  /** Readable messages, e.g. `/payload/sellingPlan must be equal to one of the allowed values (PROFESSIONAL, INDIVIDUAL)`. */
  errors: string[];
}

/** A query as a test has it: `URLSearchParams`, a URL's search string, or a record (repeated keys as arrays). */
export type QueryInput = URLSearchParams | string | Record<string, string | number | boolean | Array<string | number>>;

export interface SpApiModel {
  readonly file: string;
  readonly operationIds: string[];
  /** Method and Swagger path template of an operation, e.g. `{method: 'GET', path: '/sellers/v1/account'}`. */
  operation(operationId: string): { method: string; path: string };
  validateResponse(operationId: string, status: number | string, body: unknown): ValidationResult;
  validateRequestBody(operationId: string, body: unknown): ValidationResult;
  validateQuery(operationId: string, query: QueryInput): ValidationResult;
}

// Swagger 2.0 keeps to a subset of draft-04 that draft-07 validators read the same way (no boolean
// exclusiveMaximum in these models). `strict: false` lets the `x-*` and `example` annotations through.
type AddFormats = (ajv: Ajv) => Ajv;
const addFormats = ((addFormatsModule as unknown as { default?: AddFormats }).default ??
  addFormatsModule) as unknown as AddFormats;

function newSwaggerAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, allowUnionTypes: true });
  addFormats(ajv);
  // Swagger's numeric formats are sizes, not string shapes.
  for (const name of ['int32', 'int64']) ajv.addFormat(name, { type: 'number', validate: Number.isInteger });
  for (const name of ['float', 'double']) ajv.addFormat(name, { type: 'number', validate: Number.isFinite });
  return ajv;
}

interface SwaggerParameter {
  name: string;
  in: 'query' | 'path' | 'header' | 'body' | 'formData';
  required?: boolean;
  schema?: Record<string, unknown>;
  type?: string;
  format?: string;
  items?: Record<string, unknown>;
  collectionFormat?: 'csv' | 'ssv' | 'tsv' | 'pipes' | 'multi';
  [keyword: string]: unknown;
}

interface SwaggerOperation {
  operationId: string;
  parameters?: Array<SwaggerParameter | { $ref: string }>;
  responses: Record<string, { schema?: Record<string, unknown> }>;
}

interface SwaggerDocument {
  swagger: string;
  paths: Record<string, Record<string, SwaggerOperation | unknown>>;
  definitions?: Record<string, unknown>;
  parameters?: Record<string, SwaggerParameter>;
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch']);

/** Keywords of a Swagger non-body parameter that mean the same as in JSON Schema. */
const PARAMETER_SCHEMA_KEYWORDS = [
  'type',
  'format',
  'items',
  'enum',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'minLength',
  'maxLength',
  'pattern',
  'minItems',
  'maxItems',
  'uniqueItems',
  'multipleOf',
];

function formatErrors(errors: ErrorObject[] | null | undefined, prefix = ''): string[] {
  return (errors ?? []).map((error) => {
    const where = `${prefix}${error.instancePath}` || '(root)';
    const allowed =
      error.keyword === 'enum' ? ` (${(error.params as { allowedValues: unknown[] }).allowedValues.join(', ')})` : '';
    const extra =
      error.keyword === 'additionalProperties'
        ? ` (${(error.params as { additionalProperty: string }).additionalProperty})`
        : '';
    return `${where} ${error.message ?? error.keyword}${allowed}${extra}`;
  });
}

function result(errors: string[]): ValidationResult {
  return { valid: errors.length === 0, errors };
}

function readJson(file: string): unknown {
  const url = new URL(file, SPAPI_SPECS_DIR);
  return JSON.parse(readFileSync(url, 'utf8'));
}

const models = new Map<string, SpApiModel>();

/** Loads a Swagger 2.0 model from shared/specs/spapi, e.g. `loadSpApiModel('sellers.json')`. Cached per file. */
export function loadSpApiModel(file: string): SpApiModel {
  const cached = models.get(file);
  if (cached) return cached;
  const document = readJson(file) as SwaggerDocument;
  if (document.swagger !== '2.0') throw new Error(`${file} is not a Swagger 2.0 model`);
  const model = new SwaggerModel(file, document);
  models.set(file, model);
  return model;
}

class SwaggerModel implements SpApiModel {
  readonly #ajv = newSwaggerAjv();
  readonly #operations = new Map<string, { method: string; path: string; operation: SwaggerOperation }>();
  readonly #validators = new Map<string, ValidateFunction>();

  constructor(
    readonly file: string,
    private readonly document: SwaggerDocument,
  ) {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (!HTTP_METHODS.has(method)) continue;
        const op = operation as SwaggerOperation;
        this.#operations.set(op.operationId, { method: method.toUpperCase(), path, operation: op });
      }
    }
  }

  get operationIds(): string[] {
    return [...this.#operations.keys()];
  }

  operation(operationId: string): { method: string; path: string } {
    const { method, path } = this.#find(operationId);
    return { method, path };
  }

  validateResponse(operationId: string, status: number | string, body: unknown): ValidationResult {
    const { operation } = this.#find(operationId);
    const response = operation.responses[String(status)] ?? operation.responses.default;
    if (!response) {
      const documented = Object.keys(operation.responses).join(', ');
      return result([`${operationId} documents no ${status} response (documented: ${documented})`]);
    }
    if (!response.schema) {
      const empty = body === undefined || body === null || body === '';
      return result(empty ? [] : [`${operationId} ${status} has no body in the model, but one was given`]);
    }
    const validate = this.#compile(`response ${operationId} ${status}`, response.schema);
    return result(validate(body) ? [] : formatErrors(validate.errors));
  }

  validateRequestBody(operationId: string, body: unknown): ValidationResult {
    const parameter = this.#parameters(operationId).find((p) => p.in === 'body');
    if (!parameter?.schema) {
      return result(body === undefined ? [] : [`${operationId} takes no request body`]);
    }
    if (body === undefined) return result(parameter.required ? [`${operationId} requires a request body`] : []);
    const validate = this.#compile(`body ${operationId}`, parameter.schema);
    return result(validate(body) ? [] : formatErrors(validate.errors));
  }

  validateQuery(operationId: string, query: QueryInput): ValidationResult {
    const parameters = this.#parameters(operationId).filter((p) => p.in === 'query');
    const given = toEntries(query);
    const errors: string[] = [];
    const known = new Set(parameters.map((p) => p.name));
    for (const name of given.keys()) {
      if (!known.has(name)) errors.push(`unknown query parameter ${name}`);
    }
    for (const parameter of parameters) {
      const values = given.get(parameter.name);
      if (values === undefined) {
        if (parameter.required) errors.push(`missing required query parameter ${parameter.name}`);
        continue;
      }
      const value = decodeParameter(parameter, values);
      const validate = this.#compile(`query ${operationId} ${parameter.name}`, parameterSchema(parameter));
      if (!validate(value)) errors.push(...formatErrors(validate.errors, parameter.name));
    }
    return result(errors);
  }

  #find(operationId: string) {
    const found = this.#operations.get(operationId);
    if (!found) throw new Error(`${this.file} has no operation ${operationId}`);
    return found;
  }

  #parameters(operationId: string): SwaggerParameter[] {
    const { operation, path } = this.#find(operationId);
    const pathLevel = (this.document.paths[path]?.parameters ?? []) as Array<SwaggerParameter | { $ref: string }>;
    return [...pathLevel, ...(operation.parameters ?? [])].map((p) => this.#resolveParameter(p));
  }

  #resolveParameter(parameter: SwaggerParameter | { $ref: string }): SwaggerParameter {
    const ref = parameter.$ref;
    if (typeof ref !== 'string') return parameter as SwaggerParameter;
    const name = ref.replace('#/parameters/', '');
    const resolved = this.document.parameters?.[name];
    if (!resolved) throw new Error(`${this.file}: unresolvable parameter ${ref}`);
    return resolved;
  }

  /** Compiles a schema fragment of the model with the model's `definitions` beside it, so `#/definitions/X` resolves. */
  #compile(key: string, schema: Record<string, unknown>): ValidateFunction {
    let validate = this.#validators.get(key);
    if (!validate) {
      validate = this.#ajv.compile({ ...schema, definitions: this.document.definitions ?? {} } as AnySchema);
      this.#validators.set(key, validate);
    }
    return validate;
  }
}

function toEntries(query: QueryInput): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  const add = (name: string, value: string) => entries.set(name, [...(entries.get(name) ?? []), value]);
  if (typeof query === 'string' || query instanceof URLSearchParams) {
    const params = typeof query === 'string' ? new URLSearchParams(query.replace(/^\?/, '')) : query;
    for (const [name, value] of params) add(name, value);
  } else {
    for (const [name, value] of Object.entries(query)) {
      for (const item of Array.isArray(value) ? value : [value]) add(name, String(item));
    }
  }
  return entries;
}

const SEPARATORS = { csv: ',', ssv: ' ', tsv: '\t', pipes: '|' } as const;

/** Turns the strings of a query parameter into the typed value its Swagger definition describes. */
function decodeParameter(parameter: SwaggerParameter, values: string[]): unknown {
  if (parameter.type === 'array') {
    const format = parameter.collectionFormat ?? 'csv';
    const raw = format === 'multi' ? values : values.flatMap((v) => v.split(SEPARATORS[format]));
    const itemType = (parameter.items as { type?: string } | undefined)?.type;
    return raw.map((v) => decodeScalar(itemType, v));
  }
  if (values.length > 1) return values; // a scalar given twice fails its type check with a clear message
  return decodeScalar(parameter.type, values[0] ?? '');
}

function decodeScalar(type: string | undefined, value: string): unknown {
  if ((type === 'integer' || type === 'number') && value.trim() !== '' && !Number.isNaN(Number(value))) {
    return Number(value);
  }
  if (type === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function parameterSchema(parameter: SwaggerParameter): Record<string, unknown> {
  const schema: Record<string, unknown> = {};
  for (const keyword of PARAMETER_SCHEMA_KEYWORDS) {
    if (parameter[keyword] !== undefined) schema[keyword] = parameter[keyword];
  }
  return schema;
}

const jsonSchemaValidators = new Map<string, ValidateFunction>();

/**
 * Validates data against a plain JSON Schema file in shared/specs/spapi (e.g. `listings-feed-schema-v2.json`,
 * draft-07), choosing the validator by the schema's `$schema`.
 */
export function validateJsonSchema(file: string, data: unknown): ValidationResult {
  let validate = jsonSchemaValidators.get(file);
  if (!validate) {
    const schema = readJson(file) as { $schema?: string };
    const dialect = schema.$schema ?? '';
    const options = { strict: false, allErrors: true } as const;
    const ajv = dialect.includes('2020-12')
      ? new Ajv2020(options)
      : dialect.includes('2019-09')
        ? new Ajv2019(options)
        : new Ajv(options);
    addFormats(ajv as Ajv);
    validate = ajv.compile(schema as AnySchema);
    jsonSchemaValidators.set(file, validate);
  }
  return result(validate(data) ? [] : formatErrors(validate.errors));
}
