/*
 * Just enough GraphQL for Data Kiosk queries (spec: https://spec.graphql.org/October2021/): one
 * query operation of fields with aliases, arguments and selection sets; argument values of every
 * literal kind. Variables, fragments, directives and mutations are refused: a createQuery body has
 * no variables to bind, and the Data Kiosk examples use none of the others. This is a syntax check
 * and a tree for the emulator to read, not a GraphQL engine.
 */

/** An enum literal (`DAY`), kept apart from strings (`"DAY"`) as GraphQL does. */
export class EnumValue {
  constructor(readonly name: string) {}
}

export type GraphQlValue = string | number | boolean | null | EnumValue | GraphQlValue[] | { [name: string]: GraphQlValue };

export interface GraphQlField {
  alias?: string;
  name: string;
  args: Record<string, GraphQlValue>;
  /** Undefined for a leaf. */
  selection?: GraphQlField[];
}

export interface ParsedDocument {
  /** The top-level selection set. */
  selection: GraphQlField[];
  /** The text of each `#` comment, without the `#`. */
  comments: string[];
  /** The tokens joined, a space only between two names or numbers: equal for queries that differ only in spacing and comments. */
  minified: string;
}

export class GraphQlSyntaxError extends Error {}

type TokenKind = 'name' | 'number' | 'string' | 'punct';

interface Token {
  kind: TokenKind;
  text: string;
  /** The decoded value of a string token. */
  value?: string;
  at: number;
}

const PUNCTUATORS = new Set(['!', '$', '&', '(', ')', ':', '=', '@', '[', ']', '{', '|', '}']);

function tokenize(source: string): { tokens: Token[]; comments: string[] } {
  const tokens: Token[] = [];
  const comments: string[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source.charAt(i);
    // Whitespace, line terminators, commas and the BOM are insignificant.
    if (/[\s,\ufeff]/.test(char)) {
      i += 1;
      continue;
    }
    if (char === '#') {
      const end = source.slice(i).search(/[\r\n]/);
      const stop = end < 0 ? source.length : i + end;
      comments.push(source.slice(i + 1, stop));
      i = stop;
      continue;
    }
    if (source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', text: '...', at: i });
      i += 3;
      continue;
    }
    if (PUNCTUATORS.has(char)) {
      tokens.push({ kind: 'punct', text: char, at: i });
      i += 1;
      continue;
    }
    const name = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i));
    if (name) {
      tokens.push({ kind: 'name', text: name[0], at: i });
      i += name[0].length;
      continue;
    }
    const number = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(source.slice(i));
    if (number) {
      if (/^[_A-Za-z.]/.test(source.slice(i + number[0].length))) throw new GraphQlSyntaxError(`Invalid number at position ${i}.`);
      tokens.push({ kind: 'number', text: number[0], at: i });
      i += number[0].length;
      continue;
    }
    if (char === '"') {
      const token = source.startsWith('"""', i) ? blockString(source, i) : quotedString(source, i);
      tokens.push(token);
      i += token.text.length;
      continue;
    }
    throw new GraphQlSyntaxError(`Unexpected character "${char}" at position ${i}.`);
  }
  return { tokens, comments };
}

function quotedString(source: string, start: number): Token {
  let value = '';
  for (let i = start + 1; i < source.length; i += 1) {
    const char = source.charAt(i);
    if (char === '"') return { kind: 'string', text: source.slice(start, i + 1), value, at: start };
    if (char === '\n' || char === '\r') break;
    if (char !== '\\') {
      value += char;
      continue;
    }
    const escape = source.charAt(i + 1);
    const simple: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };
    if (escape === 'u' && /^[0-9A-Fa-f]{4}$/.test(source.slice(i + 2, i + 6))) {
      value += String.fromCharCode(Number.parseInt(source.slice(i + 2, i + 6), 16));
      i += 5;
    } else if (simple[escape] !== undefined) {
      value += simple[escape];
      i += 1;
    } else {
      throw new GraphQlSyntaxError(`Invalid escape sequence at position ${i}.`);
    }
  }
  throw new GraphQlSyntaxError(`Unterminated string at position ${start}.`);
}

function blockString(source: string, start: number): Token {
  const end = source.indexOf('"""', start + 3);
  if (end < 0) throw new GraphQlSyntaxError(`Unterminated block string at position ${start}.`);
  const raw = source.slice(start + 3, end);
  return { kind: 'string', text: source.slice(start, end + 3), value: raw.replace(/\\"""/g, '"""').trim(), at: start };
}

/** Parses one query document; throws GraphQlSyntaxError with a position. */
export function parseGraphQl(source: string): ParsedDocument {
  const { tokens, comments } = tokenize(source);
  let index = 0;
  const peek = (): Token | undefined => tokens[index];
  const fail = (message: string, token = peek()): never => {
    throw new GraphQlSyntaxError(token ? `${message} at position ${token.at} ("${token.text}").` : `${message} at the end of the query.`);
  };
  const take = (text?: string): Token => {
    const token = peek();
    if (!token || (text !== undefined && token.text !== text)) return fail(text !== undefined ? `Expected "${text}"` : 'Unexpected end');
    index += 1;
    return token;
  };
  const is = (text: string): boolean => peek()?.kind === 'punct' && peek()?.text === text;

  const value = (): GraphQlValue => {
    const token = peek();
    if (!token) return fail('Expected a value');
    if (token.kind === 'punct' && token.text === '$') return fail('Variables are not supported (createQuery takes no variables)');
    if (token.kind === 'string') {
      index += 1;
      return token.value ?? '';
    }
    if (token.kind === 'number') {
      index += 1;
      return Number(token.text);
    }
    if (token.kind === 'name') {
      index += 1;
      if (token.text === 'true' || token.text === 'false') return token.text === 'true';
      if (token.text === 'null') return null;
      return new EnumValue(token.text);
    }
    if (is('[')) {
      take('[');
      const list: GraphQlValue[] = [];
      while (!is(']')) list.push(value());
      take(']');
      return list;
    }
    if (is('{')) {
      take('{');
      const object: Record<string, GraphQlValue> = {};
      while (!is('}')) {
        const key = name();
        take(':');
        if (key in object) fail(`Duplicate field "${key}"`);
        object[key] = value();
      }
      take('}');
      return object;
    }
    return fail('Expected a value');
  };

  const name = (): string => {
    const token = peek();
    if (token?.kind !== 'name') return fail('Expected a name');
    index += 1;
    return token.text;
  };

  const selectionSet = (): GraphQlField[] => {
    take('{');
    const fields: GraphQlField[] = [];
    while (!is('}')) {
      if (is('...')) fail('Fragments are not supported by the emulator');
      const first = name();
      let alias: string | undefined;
      let fieldName = first;
      if (is(':')) {
        take(':');
        alias = first;
        fieldName = name();
      }
      const args: Record<string, GraphQlValue> = {};
      if (is('(')) {
        take('(');
        while (!is(')')) {
          const argName = name();
          take(':');
          if (argName in args) fail(`Duplicate argument "${argName}"`);
          args[argName] = value();
        }
        take(')');
        if (Object.keys(args).length === 0) fail('Expected an argument');
      }
      if (is('@')) fail('Directives are not supported by the emulator');
      const field: GraphQlField = { name: fieldName, args, ...(alias !== undefined ? { alias } : {}) };
      if (is('{')) field.selection = selectionSet();
      fields.push(field);
    }
    take('}');
    if (fields.length === 0) fail('A selection set needs at least one field');
    return fields;
  };

  if (tokens.length === 0) fail('The query is empty');
  const first = peek();
  if (first?.kind === 'name') {
    if (first.text !== 'query') fail(first.text === 'mutation' || first.text === 'subscription' ? 'Only query operations are supported' : 'Expected "query" or "{"');
    take('query');
    if (peek()?.kind === 'name') name();
    if (is('(')) fail('Variables are not supported (createQuery takes no variables)');
    if (is('@')) fail('Directives are not supported by the emulator');
  }
  const selection = selectionSet();
  if (index < tokens.length) fail('Only one operation is supported');
  const minified = minify(tokens);
  return { selection, comments, minified };
}

/** Tokens joined, with a space only where two names or numbers would otherwise run together. */
function minify(tokens: readonly Token[]): string {
  let text = '';
  let previous: Token | undefined;
  for (const token of tokens) {
    const word = (t: Token): boolean => t.kind === 'name' || t.kind === 'number';
    if (previous && word(previous) && word(token)) text += ' ';
    text += token.text;
    previous = token;
  }
  return text;
}
