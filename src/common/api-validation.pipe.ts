import { ArgumentMetadata, Injectable, ValidationError, ValidationPipe } from '@nestjs/common';
import { GatewayError } from './errors.js';

/**
 * The global validation pipe: unknown fields are refused, DTOs are instantiated, and the
 * first failure is reported in the contract's shape with a dotted `param`.
 */
@Injectable()
export class ApiValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      // Every rule of a field runs, so that toGatewayError() can report its type rule first.
      stopAtFirstError: false,
      validationError: { target: false, value: true },
      exceptionFactory: (errors) => toGatewayError(errors),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query') {
      // Requests without a body (a bare POST …/void) validate as an empty object.
      if (value === undefined) value = {};
      if (typeof value !== 'object' || value === null || Array.isArray(value)) {
        throw new GatewayError('parameter_invalid', 'The request body must be a JSON object', null);
      }
      const refused = findRefused(value);
      if (refused !== undefined) throw new GatewayError('parameter_invalid', refused.message, refused.param);
    }
    return super.transform(value, metadata);
  }
}

/**
 * JSON.parse makes `__proto__` an own key; copying it onto a DTO would set the prototype.
 * `constructor` and `prototype` are refused too: Nest's ValidationPipe would otherwise delete
 * them silently (stripProtoKeys) and the request would pass without them.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Text PostgreSQL cannot store: a NUL character, or a lone surrogate (JSON allows both). */
const UNSTORABLE = /\0|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const storable = (text: string) => !UNSTORABLE.test(text);

/**
 * The first key or string a request must not carry: a prototype-polluting key (named by its
 * parent's dotted path, or itself at the top level), or text that could not be stored, in a
 * key (named by its parent) or a value (named by its own path). Checked before the DTO's rules,
 * on every field, so that no such text reaches the database and fails there as a 500.
 */
function findRefused(value: unknown, path = ''): { message: string; param: string | null } | undefined {
  if (typeof value === 'string') {
    return storable(value) ? undefined : { message: `${path} must be Unicode text without NUL characters`, param: path };
  }
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return { message: `"${key}" is not allowed as a key`, param: path === '' ? key : path };
    if (!storable(key)) {
      return { message: `${path === '' ? 'The request' : path} has a key that is not Unicode text without NUL characters`, param: path === '' ? null : path };
    }
    const child = findRefused((value as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`);
    if (child !== undefined) return child;
  }
  return undefined;
}

/**
 * class-validator's type rules: when a value of the wrong type also fails a field's other rules
 * (a number 5 as `name` is not 1 to 200 characters long either), the type is what is wrong.
 */
const TYPE_RULES = ['isString', 'isBoolean', 'isObject', 'isArray'];

export function toGatewayError(errors: ValidationError[]): GatewayError {
  const leaf = firstLeaf(errors, '');
  if (!leaf) return new GatewayError('parameter_invalid', 'The request is invalid', null);
  const { error, path } = leaf;
  const constraints = error.constraints ?? {};
  if ('whitelistValidation' in constraints) {
    return new GatewayError('parameter_unknown', `Unknown parameter: ${path}`, path);
  }
  if ('unknownValue' in constraints) {
    return new GatewayError('parameter_invalid', 'The request body must be a JSON object', null);
  }
  if (error.value === undefined) {
    return new GatewayError('parameter_missing', `Missing required parameter: ${path}`, path);
  }
  const typeRule = TYPE_RULES.find((rule) => rule in constraints);
  const message = (typeRule ? constraints[typeRule] : Object.values(constraints)[0]) ?? 'is invalid';
  // class-validator names only the property; name the whole dotted path instead.
  const text = message.startsWith(`${error.property} `) ? message.slice(error.property.length + 1) : message;
  return new GatewayError('parameter_invalid', `${path} ${text}`, path);
}

function firstLeaf(errors: ValidationError[], prefix: string): { error: ValidationError; path: string } | undefined {
  for (const error of errors) {
    const path = prefix === '' ? error.property : `${prefix}.${error.property}`;
    if (error.constraints && Object.keys(error.constraints).length > 0) return { error, path };
    const child = firstLeaf(error.children ?? [], path);
    if (child) return child;
  }
  return undefined;
}
