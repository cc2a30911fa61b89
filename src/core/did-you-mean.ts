/**
 * "Did you mean" suggestions for operation names, parameter names, regions and marketplaces.
 * Comparison is case-insensitive so that a case-only mistake (`marketplaceIds` for
 * `MarketplaceIds`) is always suggested: SP-API names are case-sensitive on the wire.
 */

/**
 * Optimal-string-alignment distance (Levenshtein plus adjacent transpositions, the restricted
 * Damerau form): `getOrdres` is one edit away from `getOrders`, not two.
 */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Three rolling rows: the transposition step looks two rows back.
  let prevPrev: number[] = [];
  let prev: number[] = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row: number[] = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min((prev[j] ?? 0) + 1, (row[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d = Math.min(d, (prevPrev[j - 2] ?? 0) + 1);
      }
      row.push(d);
    }
    prevPrev = prev;
    prev = row;
  }
  return prev[b.length] ?? 0;
}

/**
 * Up to `max` (default 3) candidates close to `input`, nearest first. A candidate qualifies when
 * its case-insensitive distance is at most a third of the input's length (at least 1), so short
 * inputs only get near misses. When some candidate differs only in case, only such candidates are
 * returned. The input itself, spelled exactly, is never suggested.
 */
export function didYouMean(input: string, candidates: Iterable<string>, max = 3): string[] {
  const needle = input.toLowerCase();
  const limit = Math.max(1, Math.ceil(needle.length / 3));
  const scored = new Map<string, number>();
  for (const candidate of candidates) {
    if (candidate === input || scored.has(candidate)) continue;
    const distance = editDistance(needle, candidate.toLowerCase());
    if (distance <= limit) scored.set(candidate, distance);
  }
  // A case-only mistake has one obvious answer; near misses would only add noise to it.
  const exact = [...scored.entries()].filter(([, distance]) => distance === 0);
  return [...(exact.length > 0 ? exact : scored.entries())]
    .sort((x, y) => x[1] - y[1] || x[0].localeCompare(y[0]))
    .slice(0, max)
    .map(([candidate]) => candidate);
}

/** `; did you mean X, Y or Z?` for a message, or an empty string when there is no suggestion. */
export function didYouMeanSuffix(suggestions: readonly string[]): string {
  if (suggestions.length === 0) return '';
  if (suggestions.length === 1) return `; did you mean ${suggestions[0]}?`;
  return `; did you mean ${suggestions.slice(0, -1).join(', ')} or ${suggestions[suggestions.length - 1]}?`;
}
