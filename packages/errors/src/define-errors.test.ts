import { describe, expect, expectTypeOf, it } from 'vitest';
import { defineErrors, RegistryError } from './define-errors.js';
import { errorCodes, isErrorCode } from './error-codes.js';
import { httpStatusOf } from './http-status.js';

const errors = defineErrors({
  THING_MISSING: { code: 'NOT_FOUND', message: 'No such thing' },
  THING_TAKEN: { code: 'CONFLICT', message: 'The thing is taken' },
});

describe('defineErrors', () => {
  it('creates an error carrying its registry code and its kind of failure', () => {
    const error = errors.create('THING_TAKEN');
    expect(error).toBeInstanceOf(RegistryError);
    expect(error.code).toBe('THING_TAKEN');
    expect(error.definition.code).toBe('CONFLICT');
    expectTypeOf(error.code).toEqualTypeOf<'THING_MISSING' | 'THING_TAKEN'>();
  });

  it('keeps the cause and the detail', () => {
    const cause = new Error('underneath');
    const error = errors.create('THING_MISSING', { detail: 'thing 7', cause });
    expect(error.cause).toBe(cause);
    expect(error.detail).toBe('thing 7');
  });

  it('names the detail in the message, or takes the caller message whole', () => {
    const registry = errors.registry.THING_MISSING.message;
    expect(errors.create('THING_MISSING').message).toBe(registry);
    expect(errors.create('THING_MISSING', { detail: 'thing 7' }).message).toBe(`${registry}: thing 7`);
    expect(errors.create('THING_MISSING', { message: 'look in the shed' }).message).toBe('look in the shed');
  });

  it('builds errors of the package own class when given a builder', () => {
    class ShedError extends RegistryError<'THING_MISSING' | 'THING_TAKEN'> {}
    const shed = defineErrors(
      errors.registry,
      (code, definition, options) => new ShedError(code, definition, options),
    );
    const error = shed.create('THING_MISSING');
    expect(error).toBeInstanceOf(ShedError);
    expectTypeOf(error).toEqualTypeOf<ShedError>();
  });

  it('refuses, at compile time, a code outside the registry and a kind outside the set', () => {
    // @ts-expect-error not in the registry
    expect(() => errors.create('THING_LOST')).toThrow();
    // @ts-expect-error not a kind of failure
    defineErrors({ X: { code: 'TEAPOT', message: 'x' } });
  });
});

describe('error codes', () => {
  it('each has an HTTP status in the 4xx or 5xx range', () => {
    for (const code of errorCodes) {
      const status = httpStatusOf(code);
      expect(status >= 400 && status < 600, code).toBe(true);
    }
  });

  it('tells a code of the set from any other value', () => {
    expect(isErrorCode('NOT_FOUND')).toBe(true);
    expect(isErrorCode('TEAPOT')).toBe(false);
    expect(isErrorCode(undefined)).toBe(false);
  });
});
