import { Transform } from 'class-transformer';
import { ValidateBy, ValidationOptions } from 'class-validator';
import { parseTimestamp, TIMESTAMP_FORMAT } from './timestamps.js';

/** Lengths in the contract are Unicode code points, not UTF-16 units. */
export function MaxCodePoints(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxCodePoints',
      constraints: [max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && [...value].length <= max,
        defaultMessage: (args) => `${args?.property} must be at most ${max} characters`,
      },
    },
    options,
  );
}

/** An instant in the one form parseTimestamp() reads; the field stays a string. */
export function IsTimestamp(): PropertyDecorator {
  return ValidateBy({
    name: 'timestamp',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && parseTimestamp(value) !== undefined,
      defaultMessage: (args) => `${args?.property} must be ${TIMESTAMP_FORMAT}`,
    },
  });
}

/**
 * What is wrong with a JSON value for an integer field from `min` to `max`, starting with its
 * type (a string "1000" is not an integer), or undefined when nothing is. `outOfRange` replaces
 * the range's wording where the contract has its own ("must have four digits").
 */
export function integerProblem(value: unknown, min: number, max: number, outOfRange?: string): string | undefined {
  if (typeof value !== 'number') return `must be an integer (got ${kindOf(value)})`;
  if (!Number.isInteger(value)) return `must be an integer (got ${value})`;
  if (value < min) return `${outOfRange ?? `must be at least ${min}`} (got ${value})`;
  if (value > max) return `${outOfRange ?? `must be at most ${max}`} (got ${value})`;
  return undefined;
}

function kindOf(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A JSON integer from `min` to `max`: one rule, so that the type is what is reported first. */
export function IsIntegerIn(min: number, max: number, outOfRange?: string): PropertyDecorator {
  return ValidateBy({
    name: 'integerIn',
    constraints: [min, max],
    validator: {
      validate: (value: unknown) => integerProblem(value, min, max) === undefined,
      defaultMessage: (args) => `${args?.property} ${integerProblem(args?.value, min, max, outOfRange) ?? ''}`,
    },
  });
}

/**
 * A query-string integer from `min` to `max`, in plain decimal digits: Number() would also take
 * `0x10`, `1e1`, ` 10`, `+10` and `10.0`, none of which a client means as a page size.
 */
export function IsQueryIntegerIn(min: number, max: number): PropertyDecorator {
  const toNumber = Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^[0-9]+$/.test(value) ? Number(value) : value));
  const validate = ValidateBy({
    name: 'queryIntegerIn',
    constraints: [min, max],
    validator: {
      validate: (value: unknown) => typeof value === 'number' && value >= min && value <= max,
      defaultMessage: (args) =>
        typeof args?.value === 'number'
          ? `${args.property} must be an integer from ${min} to ${max} (got ${args.value})`
          : `${args?.property} must be an integer from ${min} to ${max}, in decimal digits only`,
    },
  });
  return (target, property) => {
    toNumber(target, property);
    validate(target, property);
  };
}
