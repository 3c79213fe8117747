import type { ArgumentMetadata, ValidationError } from '@nestjs/common';
import { Type } from 'class-transformer';
import { IsInt, IsObject, IsOptional, IsString, Min, ValidateNested, validate } from 'class-validator';
import { ApiValidationPipe, toGatewayError } from './api-validation.pipe.js';
import { GatewayError } from './errors.js';

class CardDto {
  @IsString()
  number: string;
}

class ChargeDto {
  @IsInt()
  @Min(1)
  amount: number;

  @ValidateNested()
  @Type(() => CardDto)
  card: CardDto;

  @IsOptional()
  @IsObject()
  metadata?: Record<string, string>;
}

const bodyOf = (metatype: ArgumentMetadata['metatype'] = ChargeDto): ArgumentMetadata => ({ type: 'body', metatype });

/** Builds a ValidationError the way class-validator does, without a target. */
const validationError = (
  property: string,
  value: unknown,
  constraints?: Record<string, string>,
  children: ValidationError[] = [],
): ValidationError => ({ property, value, constraints, children });

describe(toGatewayError.name, () => {
  it('an unknown property is parameter_unknown, named by its dotted path', () => {
    const errors = [
      validationError('card', { foo: 1 }, undefined, [
        validationError('foo', 1, { whitelistValidation: 'property foo should not exist' }),
      ]),
    ];
    const error = toGatewayError(errors);
    expect(error).toBeInstanceOf(GatewayError);
    expect(error.code).toBe('parameter_unknown');
    expect(error.param).toBe('card.foo');
    expect(error.message).toBe('Unknown parameter: card.foo');
  });

  it('an undefined value is parameter_missing', () => {
    const errors = [
      validationError('card', {}, undefined, [
        validationError('number', undefined, { isString: 'number must be a string' }),
      ]),
    ];
    const error = toGatewayError(errors);
    expect(error.code).toBe('parameter_missing');
    expect(error.param).toBe('card.number');
    expect(error.message).toBe('Missing required parameter: card.number');
  });

  it('any other constraint is parameter_invalid, with a message starting with the dotted path', () => {
    const errors = [
      validationError('card', { expiry_month: 13 }, undefined, [
        validationError('expiry_month', 13, { max: 'expiry_month must not be greater than 12' }),
      ]),
    ];
    const error = toGatewayError(errors);
    expect(error.code).toBe('parameter_invalid');
    expect(error.param).toBe('card.expiry_month');
    expect(error.message).toBe('card.expiry_month must not be greater than 12');
  });

  it('reports the type rule of a field before its other rules', () => {
    const error = toGatewayError([
      validationError('name', 5, { isLength: 'name must be longer than or equal to 1 characters', isString: 'name must be a string' }),
    ]);
    expect(error.message).toBe('name must be a string');
  });

  it('keeps a message that does not start with the property name, prefixed by the path', () => {
    const error = toGatewayError([validationError('currency', 'ABC', { isCurrency: 'unsupported currency' })]);
    expect(error.message).toBe('currency unsupported currency');
    expect(error.param).toBe('currency');
  });

  it('reports the first failing leaf only', () => {
    const error = toGatewayError([
      validationError('amount', -1, { min: 'amount must not be less than 1' }),
      validationError('currency', undefined, { isString: 'currency must be a string' }),
    ]);
    expect(error.param).toBe('amount');
  });

  it('an unknown value (a non-object body) is parameter_invalid without a param', () => {
    const error = toGatewayError([validationError('', 'x', { unknownValue: 'an unknown value was passed' })]);
    expect(error.code).toBe('parameter_invalid');
    expect(error.param).toBeNull();
  });

  it('no errors with constraints: a generic parameter_invalid', () => {
    const error = toGatewayError([]);
    expect(error.code).toBe('parameter_invalid');
    expect(error.param).toBeNull();
  });

  it('works on what class-validator reports for a decorated class', async () => {
    const dto = Object.assign(new ChargeDto(), { amount: 0, card: Object.assign(new CardDto(), { number: '4242' }) });
    const error = toGatewayError(await validate(dto, { stopAtFirstError: true }));
    expect(error.code).toBe('parameter_invalid');
    expect(error.param).toBe('amount');
    expect(error.message).toBe('amount must not be less than 1');
  });
});

describe(ApiValidationPipe.name, () => {
  const pipe = new ApiValidationPipe();

  /** The GatewayError the pipe rejects with; fails the test when it resolves. */
  async function refusal(value: unknown, metadata: ArgumentMetadata = bodyOf()): Promise<GatewayError> {
    try {
      await pipe.transform(value, metadata);
    } catch (error) {
      if (error instanceof GatewayError) return error;
      throw error;
    }
    throw new Error(`the pipe accepted ${JSON.stringify(value)}`);
  }

  it('turns a valid body into the DTO', async () => {
    const result = await pipe.transform({ amount: 100, card: { number: '4242' } }, bodyOf());
    expect(result).toBeInstanceOf(ChargeDto);
    expect((result as ChargeDto).card).toBeInstanceOf(CardDto);
    expect((result as ChargeDto).amount).toBe(100);
  });

  it.each([
    ['a nested __proto__ key, named by its parent', '{"amount": 100, "card": {"number": "4242"}, "metadata": {"__proto__": "x"}}', 'metadata'],
    ['a deeper __proto__ key', '{"amount": 100, "card": {"number": "4242", "extra": {"__proto__": {}}}}', 'card.extra'],
    ['a top-level __proto__ key', '{"__proto__": {"amount": 1}, "amount": 100, "card": {"number": "4242"}}', '__proto__'],
  ])('refuses %s', async (_label, json, param) => {
    const error = await refusal(JSON.parse(json));
    expect(error.code).toBe('parameter_invalid');
    expect(error.param).toBe(param);
    expect(error.message).toBe('"__proto__" is not allowed as a key');
  });

  it.each([
    ['a top-level constructor key', '{"constructor": "x", "amount": 100, "card": {"number": "4242"}}', 'constructor', 'constructor'],
    ['a nested constructor key', '{"amount": 100, "card": {"constructor": "x", "number": "4242"}}', 'constructor', 'card'],
    ['a top-level prototype key', '{"prototype": {"amount": 1}, "amount": 100, "card": {"number": "4242"}}', 'prototype', 'prototype'],
    ['a metadata prototype key', '{"amount": 100, "card": {"number": "4242"}, "metadata": {"prototype": "x"}}', 'prototype', 'metadata'],
  ])('refuses %s rather than dropping it', async (_label, json, key, param) => {
    const error = await refusal(JSON.parse(json));
    expect(error.code).toBe('parameter_invalid');
    expect(error.param).toBe(param);
    expect(error.message).toBe(`"${key}" is not allowed as a key`);
  });

  it.each([
    ['a NUL in a top-level value', '{"amount": 100, "card": {"number": "4242"}, "description": "a\\u0000b"}', 'description'],
    ['a NUL in a nested value', '{"amount": 100, "card": {"number": "4242", "holder_name": "A\\u0000"}}', 'card.holder_name'],
    ['a NUL in a metadata value', '{"amount": 100, "card": {"number": "4242"}, "metadata": {"k": "\\u0000"}}', 'metadata.k'],
    ['a lone high surrogate', '{"amount": 100, "card": {"number": "4242"}, "reference": "x\\ud800"}', 'reference'],
    ['a lone low surrogate', '{"amount": 100, "card": {"number": "4242"}, "reference": "\\udc00x"}', 'reference'],
    ['a NUL in an array element', '{"amount": 100, "card": {"number": "4242"}, "events": ["a", "b\\u0000"]}', 'events.1'],
  ])('refuses text PostgreSQL cannot store: %s', async (_label, json, param) => {
    const error = await refusal(JSON.parse(json));
    expect(error.code).toBe('parameter_invalid');
    expect(error.param).toBe(param);
    expect(error.message).toBe(`${param} must be Unicode text without NUL characters`);
  });

  it('refuses a key PostgreSQL cannot store, named by its parent', async () => {
    const error = await refusal(JSON.parse('{"amount": 100, "card": {"number": "4242"}, "metadata": {"k\\u0000": "v"}}'));
    expect(error).toMatchObject({ code: 'parameter_invalid', param: 'metadata' });
    expect(error.message).toBe('metadata has a key that is not Unicode text without NUL characters');
  });

  it('accepts any other Unicode, surrogate pairs included', async () => {
    const result = await pipe.transform({ amount: 100, card: { number: '4242 😀 ünïcödé \t\n' } }, bodyOf());
    expect((result as ChargeDto).card.number).toBe('4242 😀 ünïcödé \t\n');
  });

  it('refuses an unknown nested field as parameter_unknown with its dotted path', async () => {
    const error = await refusal({ amount: 100, card: { number: '4242', foo: 'bar' } });
    expect(error.code).toBe('parameter_unknown');
    expect(error.param).toBe('card.foo');
  });

  it('refuses a missing nested field as parameter_missing', async () => {
    const error = await refusal({ amount: 100, card: {} });
    expect(error.code).toBe('parameter_missing');
    expect(error.param).toBe('card.number');
  });

  it('refuses an invalid value as parameter_invalid naming the field', async () => {
    const error = await refusal({ amount: 0, card: { number: '4242' } });
    expect(error.code).toBe('parameter_invalid');
    expect(error.param).toBe('amount');
    expect(error.message).toBe('amount must not be less than 1');
  });

  it.each([
    ['an array', [1, 2]],
    ['a string', 'amount=100'],
  ])('refuses %s as the body', async (_label, body) => {
    const error = await refusal(body);
    expect(error.code).toBe('parameter_invalid');
    expect(error.param).toBeNull();
  });

  it('validates a missing body as an empty object', async () => {
    const error = await refusal(undefined);
    expect(error.code).toBe('parameter_missing');
    expect(error.param).toBe('amount');
  });
});
