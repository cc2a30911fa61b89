import { describe, expect, it } from 'vitest';
import { DEFAULT_MODELS_URL, parseRepositoryUrl } from '../../src/core/catalog/models-source.js';
import { UsageError } from '../../src/core/errors.js';

describe('parseRepositoryUrl', () => {
  it.each([
    [
      DEFAULT_MODELS_URL,
      { owner: 'amzn', repo: 'selling-partner-api-models', ref: 'main', apiBase: 'https://api.github.com', rawBase: 'https://raw.githubusercontent.com' },
    ],
    [
      'https://github.com/amzn/selling-partner-api-models.git',
      { owner: 'amzn', repo: 'selling-partner-api-models', ref: 'main', apiBase: 'https://api.github.com' },
    ],
    ['https://github.com/me/models-fork/tree/release/2025-01/', { owner: 'me', repo: 'models-fork', ref: 'release/2025-01' }],
    ['http://127.0.0.1:8123/amzn/selling-partner-api-models', { apiBase: 'http://127.0.0.1:8123', rawBase: 'http://127.0.0.1:8123' }],
    ['http://localhost:9/a/b/tree/x', { ref: 'x', apiBase: 'http://localhost:9' }],
    ['http://[::1]:9/a/b', { apiBase: 'http://[::1]:9' }],
    ['https://mirror.example/a/b', { apiBase: 'https://mirror.example', rawBase: 'https://mirror.example' }],
  ])('%s', (url, expected) => {
    expect(parseRepositoryUrl(url)).toMatchObject(expected);
  });

  it.each(['http://github.com/amzn/selling-partner-api-models', 'http://10.0.0.1/a/b', 'file:///tmp/models', 'not a url', 'https://github.com/amzn'])(
    'refuses %s',
    (url) => {
      expect(() => parseRepositoryUrl(url)).toThrow(UsageError);
    },
  );
});
