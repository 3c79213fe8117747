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
      stopAtFirstError: true,
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
      // JSON.parse makes `__proto__` an own key; copying it onto a DTO would set the prototype.
      // `constructor` and `prototype` are refused too: Nest's ValidationPipe would otherwise
      // delete them silently (stripProtoKeys) and the request would pass without them.
      const forbidden = findForbiddenKey(value);
      if (forbidden !== undefined) {
        throw new GatewayError('parameter_invalid', `"${forbidden.key}" is not allowed as a key`, forbidden.param);
      }
    }
    return super.transform(value, metadata);
  }
}

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The first prototype-polluting own key, named by its parent's dotted path (or itself at the top level). */
function findForbiddenKey(value: unknown, path = ''): { key: string; param: string } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const key of Object.keys(value)) {
    if (FORBIDDEN_KEYS.has(key)) return { key, param: path === '' ? key : path };
    const child = findForbiddenKey((value as Record<string, unknown>)[key], path === '' ? key : `${path}.${key}`);
    if (child !== undefined) return child;
  }
  return undefined;
}

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
  const message = Object.values(constraints)[0] ?? 'is invalid';
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
