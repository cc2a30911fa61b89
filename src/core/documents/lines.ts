/**
 * Splits decoded text into lines as it streams: `\n` ends a line and a `\r` before it is dropped
 * (CRLF files), the part after the last newline waits for the next chunk, and end() hands out a
 * last line that has no newline. It works on text, after decoding, so a multi-byte character
 * (Shift_JIS, UTF-8) is never cut in two.
 */
export class LineSplitter {
  private carry = '';

  /** The complete lines of `text` (with what was carried over), without their line endings. */
  write(text: string): string[] {
    const joined = this.carry === '' ? text : this.carry + text;
    const last = joined.lastIndexOf('\n');
    if (last < 0) {
      this.carry = joined;
      return [];
    }
    this.carry = joined.slice(last + 1);
    const lines = joined.slice(0, last).split('\n');
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i] as string;
      if (line.endsWith('\r')) lines[i] = line.slice(0, -1);
    }
    return lines;
  }

  /** The last line when the text did not end with a newline. */
  end(): string[] {
    const rest = this.carry.endsWith('\r') ? this.carry.slice(0, -1) : this.carry;
    this.carry = '';
    return rest === '' ? [] : [rest];
  }
}
