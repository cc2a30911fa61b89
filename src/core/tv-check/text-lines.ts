/** Offsets and lines of a text, for the scan's and the config's 1-based positions. */

/** Offsets where each line starts. LF ends a line; with `editorBreaks`, CRLF and a lone CR too, as in editors. */
export function lineStarts(text: string, editorBreaks = false): number[] {
  const starts = [0];
  if (editorBreaks) {
    for (const match of text.matchAll(/\r\n|\r|\n/g)) starts.push(match.index + match[0].length);
  } else {
    // indexOf, not a regex: the scan computes this for every file with a match.
    for (let at = text.indexOf('\n'); at !== -1; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  }
  return starts;
}

/** 0-based index of the line holding `offset` (a binary search over lineStarts). */
export function lineIndex(starts: readonly number[], offset: number): number {
  let low = 0;
  let high = starts.length - 1;
  while (low < high) {
    const mid = (low + high + 1) >> 1;
    if ((starts[mid] ?? 0) <= offset) low = mid;
    else high = mid - 1;
  }
  return low;
}
