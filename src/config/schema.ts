import { ConfigError } from './config-error.js';

/*
 * Why not @nestjs/config: it would only load .env files and pass the raw environment to a
 * validate() we would still write; consumers would read values by key through ConfigService
 * (`get('PORT', { infer: true })`) instead of one typed AppConfig, and it carries no description,
 * unit or secret flag to check the README against. This schema gives those, with no dependency.
 */

/** Thrown by a parser: what is wrong with the text. The loader names the variable and quotes the text unless secret. */
export class InvalidValue extends Error {}

/** Turns a variable's trimmed, non-empty text into its value; throws InvalidValue. */
export type Parser<T> = (text: string) => T;

export type Unit = 'ms' | 'duration' | 'per second' | 'per minute' | 'connections' | 'port' | 'fraction' | 'count';

type Plain = string | number | boolean;
/** The text that stands for an unset variable: a plain value, or one that depends on NODE_ENV=production. */
export type Default = Plain | ((production: boolean) => Plain);

export interface Variable<T> {
  readonly name: string;
  readonly description: string;
  readonly unit: Unit | undefined;
  /** A secret's text is never printed: not in error messages, not in the README. */
  readonly secret: boolean;
  /** Undefined: the variable has no default and its value is then undefined. */
  readonly default: Default | undefined;
  readonly requiredInProduction: boolean;
  /** The value for the variable's text (undefined: unset). */
  readonly read: (text: string | undefined, production: boolean) => T;
}

interface Declaration {
  readonly description: string;
  readonly unit?: Unit;
  readonly secret?: boolean;
  readonly requiredInProduction?: boolean;
}

/** A variable with a default; an empty default (`''`) reads as unset does. */
export function variable<T>(name: string, declaration: Declaration & { default: Default; parse: Parser<T> }): Variable<T> {
  const { parse, default: fallback } = declaration;
  return declare(name, declaration, fallback, (text, production) => parse(text ?? defaultText(fallback, production)));
}

/** A variable without a default: undefined when unset. */
export function optional<T>(name: string, declaration: Declaration & { parse: Parser<T> }): Variable<T | undefined> {
  const { parse } = declaration;
  return declare(name, declaration, undefined, (text) => (text === undefined ? undefined : parse(text)));
}

function declare<T>(name: string, declaration: Declaration, fallback: Default | undefined, read: Variable<T>['read']): Variable<T> {
  const { description, unit, secret = false, requiredInProduction = false } = declaration;
  return {
    name,
    description,
    unit,
    secret,
    default: fallback,
    requiredInProduction,
    read: (text, production) => {
      if (text === undefined && production && requiredInProduction) throw new InvalidValue('is required when NODE_ENV=production');
      return read(text, production);
    },
  };
}

export function defaultText(value: Default, production: boolean): string {
  return String(typeof value === 'function' ? value(production) : value);
}

/** Configuration properties, each read from one variable. */
export type Schema = Readonly<Record<string, Variable<unknown>>>;

/** The typed values a schema reads: `{ port: Variable<number> }` gives `{ readonly port: number }`. */
export type ValuesOf<S extends Schema> = { readonly [K in keyof S]: S[K] extends Variable<infer T> ? T : never };

/** Reads one variable; an empty or blank text counts as unset. Throws a ConfigError naming it. */
export function readVariable<T>(variable: Variable<T>, env: NodeJS.ProcessEnv, production: boolean): T {
  const text = env[variable.name]?.trim() || undefined;
  try {
    return variable.read(text, production);
  } catch (error) {
    if (!(error instanceof InvalidValue)) throw error;
    const quoted = text === undefined || variable.secret ? '' : ` (got "${text}")`;
    throw new ConfigError(variable.name, `${error.message}${quoted}`);
  }
}

/** Reads every variable of the schema, in order; the first bad one throws. */
export function readSchema<S extends Schema>(schema: S, env: NodeJS.ProcessEnv, production: boolean): ValuesOf<S> {
  const entries = Object.entries(schema).map(([property, variable]) => [property, readVariable(variable, env, production)]);
  // Object.fromEntries forgets the keys; each value is its own variable's read, as ValuesOf says.
  return Object.fromEntries(entries) as ValuesOf<S>;
}

/** A copy of the values to print: each secret that is set reads `[secret]`. */
export function redacted<S extends Schema>(schema: S, values: ValuesOf<S>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(values).map(([property, value]) => [property, schema[property]?.secret && value !== undefined ? '[secret]' : value]),
  );
}
