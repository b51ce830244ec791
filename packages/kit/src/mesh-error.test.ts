import { errorCodes, httpStatusOf } from '@mesh/errors';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { describe, expect, it } from 'vitest';
import { defineErrors, MeshError, trpcCodeByErrorCode } from './mesh-error.js';

describe('MeshError', () => {
  it('travels as the tRPC code of its kind and keeps its registry code', () => {
    const errors = defineErrors({ THING_GONE: { code: 'CANCELLED', message: 'Gone' } });
    const error = errors.create('THING_GONE');
    expect(error).toBeInstanceOf(MeshError);
    expect(error.code).toBe('CLIENT_CLOSED_REQUEST');
    expect(error.meshCode).toBe('THING_GONE');
  });

  it('answers over HTTP with the status every other transport gives the same kind', () => {
    for (const code of errorCodes) {
      const error = new MeshError('ANY', { code, message: code });
      expect(getHTTPStatusCodeFromError(error), code).toBe(httpStatusOf(code));
      expect(error.code).toBe(trpcCodeByErrorCode[code]);
    }
  });
});
