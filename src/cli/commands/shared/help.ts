/**
 * The `Environment:` line every command's help ends with. Each command names the variables it
 * reads itself (the root help lists them all); the sets several commands share are kept here, so a
 * new variable is added to each command that reads it in one place.
 */

/** The selling partner's credentials: the profile they come from, or the environment that wins over it. */
export const CREDENTIALS_ENV = ['SPAPI_PROFILE', 'SPAPI_CLIENT_ID', 'SPAPI_CLIENT_SECRET', 'SPAPI_REFRESH_TOKEN', 'SPAPI_SECRET_STORE'] as const;

/** Every command that calls SP-API: the credentials, the region, the hosts, the token cache, the limiter and the request log. */
export const SP_API_ENV = [
  ...CREDENTIALS_ENV,
  'SPAPI_REGION',
  'SPAPI_ENDPOINT',
  'SPAPI_LWA_ENDPOINT',
  'SPAPI_TOKEN_CACHE',
  'SPAPI_RATELIMIT_STORE',
  'SPAPI_LOG_FILE',
] as const;

const WIDTH = 100;

/**
 * `Environment: A, B, C.` (or `A, B; <note>`, or `none read; <note>`) wrapped at 100 columns, continuation lines indented
 * two spaces, after a blank line that separates it from the help text before it.
 */
export function environment(names: readonly string[], note?: string): string {
  const named = names.length === 0 ? 'none read' : [...new Set(names)].join(', ');
  const text = `Environment: ${named}${note === undefined ? '' : `; ${note}`}`.replace(/\.?$/, '.');
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = `  ${word}`;
    } else line = line === '' ? word : `${line} ${word}`;
  }
  lines.push(line);
  return `\n\n${lines.join('\n')}`;
}
