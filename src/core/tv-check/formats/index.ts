/**
 * The output formats of `spapi tv-check` (tv-checklist.md §4.3): pure functions from a Report to
 * text. `table` is listed so --format has one list of choices, but it is drawn by the CLI, which
 * owns terminal width and colour.
 */
import type { Report, RuleMeta } from '../types.js';
import { renderJson } from './json.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import { renderSarif, type SarifOptions } from './sarif.js';

export const TV_FORMATS = ['table', 'json', 'sarif', 'junit', 'markdown'] as const;
export type TvFormat = (typeof TV_FORMATS)[number];

export function isTvFormat(value: string): value is TvFormat {
  return (TV_FORMATS as readonly string[]).includes(value);
}

/** `rules` is the whole rule set of the pack: SARIF declares each, the other formats ignore it. */
export function renderReport(format: Exclude<TvFormat, 'table'>, report: Report, rules: RuleMeta[], options: SarifOptions = {}): string {
  switch (format) {
    case 'json':
      return renderJson(report);
    case 'sarif':
      return renderSarif(report, rules, options);
    case 'junit':
      return renderJunit(report);
    case 'markdown':
      return renderMarkdown(report);
  }
}

export { REPORT_SCHEMA_VERSION, renderJson, toJsonReport, type JsonReport } from './json.js';
export { renderSarif, type SarifOptions } from './sarif.js';
export { renderJunit } from './junit.js';
export { renderMarkdown } from './markdown.js';
