import { ConfigError } from './config-error.js';
import { int, url } from './parsers.js';
import { InvalidValue, optional, readSchema, readVariable, redacted, variable } from './schema.js';

/** The ConfigError thrown by read; fails the test when it throws none. */
function configErrorOf(read: () => unknown): ConfigError {
  try {
    read();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('no ConfigError thrown');
}

const port = variable('PORT', { description: 'HTTP port.', unit: 'port', default: 3000, parse: int(0, 65535) });
const format = variable('FORMAT', {
  description: 'Output format.',
  default: (production) => (production ? 'json' : 'text'),
  parse: (text) => text,
});
const token = optional('TOKEN', { description: 'A token.', secret: true, requiredInProduction: true, parse: (text) => text });
const databaseUrl = optional('DATABASE_URL', { description: 'A URL.', secret: true, parse: url('postgres') });

describe(variable.name, () => {
  it('reads its text when set, and its default when unset', () => {
    expect(readVariable(port, { PORT: '8080' }, false)).toBe(8080);
    expect(readVariable(port, {}, false)).toBe(3000);
  });

  it('counts an empty or blank text as unset, and trims the rest', () => {
    expect(readVariable(port, { PORT: '' }, false)).toBe(3000);
    expect(readVariable(port, { PORT: '  ' }, false)).toBe(3000);
    expect(readVariable(port, { PORT: ' 81 ' }, false)).toBe(81);
  });

  it('takes a default that depends on production', () => {
    expect(readVariable(format, {}, true)).toBe('json');
    expect(readVariable(format, {}, false)).toBe('text');
    expect(readVariable(format, { FORMAT: 'text' }, true)).toBe('text');
  });

  it('keeps its metadata', () => {
    expect(port).toMatchObject({ name: 'PORT', description: 'HTTP port.', unit: 'port', default: 3000, secret: false, requiredInProduction: false });
  });
});

describe(optional.name, () => {
  it('is undefined when unset outside production', () => {
    expect(readVariable(token, {}, false)).toBeUndefined();
    expect(readVariable(token, { TOKEN: 'abc' }, true)).toBe('abc');
  });

  it('refuses to be unset in production when required there', () => {
    const error = configErrorOf(() => readVariable(token, { TOKEN: ' ' }, true));
    expect(error.variable).toBe('TOKEN');
    expect(error.message).toBe('TOKEN is required when NODE_ENV=production');
  });
});

describe(readVariable.name, () => {
  it('names the variable and quotes the text it refuses', () => {
    const error = configErrorOf(() => readVariable(port, { PORT: 'abc' }, false));
    expect(error.variable).toBe('PORT');
    expect(error.message).toBe('PORT must be an integer from 0 to 65535 (got "abc")');
  });

  it("never quotes a secret's text", () => {
    const error = configErrorOf(() => readVariable(databaseUrl, { DATABASE_URL: 'mysql://user:hunter2@db/x' }, false));
    expect(error.message).toBe('DATABASE_URL must be a postgres:// URL');
    expect(error.message).not.toContain('hunter2');
  });

  it('lets an error that is not about the value through', () => {
    const broken = variable('BROKEN', {
      description: 'A parser with a bug.',
      default: 'x',
      parse: () => {
        throw new TypeError('bug');
      },
    });
    expect(() => readVariable(broken, {}, false)).toThrow(TypeError);
  });
});

describe(readSchema.name, () => {
  const schema = { port, format, token };

  it('reads every variable into the property that declares it', () => {
    const values: { readonly port: number; readonly format: string; readonly token: string | undefined } = readSchema(schema, { TOKEN: 't' }, true);
    expect(values).toEqual({ port: 3000, format: 'json', token: 't' });
  });

  it('throws for the first bad variable, in the order of the schema', () => {
    expect(configErrorOf(() => readSchema(schema, { PORT: 'x' }, true)).variable).toBe('PORT');
    expect(configErrorOf(() => readSchema(schema, {}, true)).variable).toBe('TOKEN');
  });

  it('throws what a parser throws as InvalidValue, naming the variable', () => {
    const odd = variable('ODD', {
      description: 'An odd number.',
      default: 1,
      parse: (text) => {
        if (Number(text) % 2 !== 1) throw new InvalidValue('must be odd');
        return Number(text);
      },
    });
    expect(configErrorOf(() => readSchema({ odd }, { ODD: '2' }, false)).message).toBe('ODD must be odd (got "2")');
  });
});

describe(redacted.name, () => {
  it('hides the secrets that are set, and nothing else', () => {
    const schema = { port, token, databaseUrl };
    expect(redacted(schema, { port: 3000, token: 'hunter2', databaseUrl: undefined })).toEqual({ port: 3000, token: '[secret]', databaseUrl: undefined });
  });
});
