import { didYouMean, didYouMeanSuffix } from '../core/did-you-mean.js';
import { UsageError } from '../core/errors.js';

/** A usage error for a profile name that is not saved, with near names and the list of saved ones. */
export function unknownProfile(name: string, saved: readonly string[]): UsageError {
  const suggestions = didYouMean(name, saved);
  return new UsageError(`no profile ${name}${didYouMeanSuffix(suggestions)}`, {
    hint: saved.length ? `saved profiles: ${saved.join(', ')}` : 'no profile is saved yet: run `spapi auth login` or `spapi auth add`',
  });
}
