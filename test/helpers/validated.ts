import { expect } from 'vitest';
import { SchemaValidator } from '../../src/core/catalog/schema-validate.js';
import { callEmulator } from './emulator.js';
import type { Emulator, Reply } from './emulator.js';

const validator = new SchemaValidator();

/**
 * One SP-API call to the emulator whose answer must fit the schema Amazon's model declares for the
 * operation and status: a status the model does not declare, or a body that does not fit, fails.
 */
export async function callValidated<T = Record<string, unknown>>(
  emulator: Emulator,
  token: string,
  qualified: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<Reply<T>> {
  const reply = await callEmulator<T>(emulator, token, method, path, body);
  const problems = validator.response(qualified, reply.status, reply.body);
  expect(problems, `${qualified} ${reply.status} is not declared by the model: ${JSON.stringify(reply.body).slice(0, 300)}`).toBeDefined();
  expect(problems, `${qualified} ${reply.status} does not fit the model: ${JSON.stringify(reply.body).slice(0, 300)}`).toEqual([]);
  return reply;
}
