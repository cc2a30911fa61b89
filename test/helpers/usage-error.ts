import { UsageError } from '../../src/core/errors.js';

/** Runs fn and returns the UsageError it throws; anything else fails the test. */
export function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (error) {
    if (error instanceof UsageError) return error;
    throw error;
  }
  throw new Error('expected a UsageError');
}
