import type { AnyProcedure, AnyRouter } from '@trpc/server';
import { z } from 'zod';
import { listProcedures, procedureInputs } from './trpc-internals.js';

/** A JSON Schema, with `x-js-type` marking the values superjson carries beyond JSON. */
export type InputSchema = Record<string, unknown>;

/** One procedure of a router: its path, its kind and the shape of its input. */
export interface ProcedureDescription {
  path: string;
  kind: 'query' | 'mutation' | 'subscription';
  /** The input's JSON Schema (as the caller writes it, defaults optional); `null` when it takes none. */
  input: InputSchema | null;
}

/**
 * BigInt and Date have no JSON Schema type; they travel as superjson values. They are written
 * as `integer` and `string` with `x-js-type` saying which JavaScript value the procedure wants.
 */
function describeSchema(schema: z.ZodType): InputSchema {
  return z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
    override: ({ zodSchema, jsonSchema }) => {
      const type = zodSchema._zod.def.type;
      if (type === 'bigint') Object.assign(jsonSchema, { type: 'integer', 'x-js-type': 'bigint' });
      if (type === 'date') Object.assign(jsonSchema, { type: 'string', 'x-js-type': 'Date' });
    },
  }) as InputSchema;
}

function describeInput(procedure: AnyProcedure): InputSchema | null {
  const inputs = procedureInputs(procedure);
  const schemas = inputs.filter((input): input is z.ZodType => input instanceof z.ZodType);
  if (schemas.length === 0) return inputs.length === 0 ? null : {};
  // Several `.input()` calls merge into one object; describe them as all of the parts.
  return schemas.length === 1
    ? describeSchema(schemas[0] as z.ZodType)
    : { allOf: schemas.map(describeSchema) };
}

/** Every procedure of `router`, by path, with its kind and input schema; for `mesh call --list`. */
export function describeProcedures(router: AnyRouter): ProcedureDescription[] {
  return listProcedures(router)
    .map(({ path, procedure, type }) => ({ path, kind: type, input: describeInput(procedure) }))
    .sort((a, b) => a.path.localeCompare(b.path));
}
