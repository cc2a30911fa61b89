import { StringDecoder } from 'node:string_decoder';
import { CR, LF, SPACE, TAB } from './byte-writer.js';
import type { RecordFormat, TextFormatter } from './formats.js';
import { JsonFormatter } from './json-format.js';
import { TsvFormatter } from './tsv-format.js';


/**
 * The formatter for a record format. It looks at the start of the text to tell a JSON document
 * (Data Kiosk's JSON Lines, an error document: the first character is `{` or `[`) from a flat
 * file, unless the Content-Type already says JSON.
 */
export function textFormatter(format: RecordFormat, contentType: string | undefined): TextFormatter {
  if (contentType !== undefined && /[/+](json|jsonl|x-ndjson|ndjson)\b/i.test(contentType)) return new JsonText(format);
  return new SniffingFormatter(format);
}

/** The string-based JSON formatter on UTF-8 bytes (JSON documents are small next to flat files). */
class JsonText implements TextFormatter {
  private readonly decoder = new StringDecoder('utf8');
  private readonly formatter: JsonFormatter;

  constructor(format: RecordFormat) {
    this.formatter = new JsonFormatter(format);
  }

  write(chunk: Buffer): Buffer | undefined {
    return bytesOf(this.formatter.write(this.decoder.write(chunk)));
  }

  end(): Buffer | undefined {
    return bytesOf(this.formatter.write(this.decoder.end()) + this.formatter.end());
  }
}

function bytesOf(text: string): Buffer | undefined {
  return text === '' ? undefined : Buffer.from(text, 'utf8');
}

class SniffingFormatter implements TextFormatter {
  private chosen: TextFormatter | undefined;
  private held: Buffer[] = [];

  constructor(private readonly format: RecordFormat) {}

  write(chunk: Buffer): Buffer | undefined {
    if (this.chosen) return this.chosen.write(chunk);
    let first = -1;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte !== SPACE && byte !== TAB && byte !== LF && byte !== CR) {
        first = byte as number;
        break;
      }
    }
    if (first < 0) {
      this.held.push(chunk);
      return undefined;
    }
    this.chosen = first === 0x7b || first === 0x5b ? new JsonText(this.format) : new TsvFormatter(this.format);
    const held = Buffer.concat([...this.held, chunk]);
    this.held = [];
    return this.chosen.write(held);
  }

  end(): Buffer | undefined {
    this.chosen ??= new TsvFormatter(this.format);
    return this.chosen.end();
  }
}
