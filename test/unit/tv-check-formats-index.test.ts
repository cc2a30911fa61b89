import { describe, expect, it } from 'vitest';
import { isTvFormat, renderJson, renderJunit, renderMarkdown, renderReport, renderSarif, TV_FORMATS } from '../../src/core/tv-check/formats/index.js';
import { SAMPLE_RAW_SECRET, sampleReport, sampleRules } from '../helpers/tv-report.js';

describe('renderReport', () => {
  const report = sampleReport();
  const rules = sampleRules();

  it('offers the five formats of --format, table first (the default)', () => {
    expect(TV_FORMATS).toEqual(['table', 'json', 'sarif', 'junit', 'markdown']);
    expect(isTvFormat('sarif')).toBe(true);
    expect(isTvFormat('csv')).toBe(false);
  });

  it('dispatches to each renderer', () => {
    expect(renderReport('json', report, rules)).toBe(renderJson(report));
    expect(renderReport('sarif', report, rules)).toBe(renderSarif(report, rules));
    expect(renderReport('junit', report, rules)).toBe(renderJunit(report));
    expect(renderReport('markdown', report, rules)).toBe(renderMarkdown(report));
  });

  it.each(['json', 'sarif', 'junit', 'markdown'] as const)('%s: no absolute scan root, no unmasked secret, ends with a newline', (format) => {
    const text = renderReport(format, sampleReport({ failOn: 'info' }), rules);
    expect(text).not.toContain(report.root);
    expect(text).not.toContain(SAMPLE_RAW_SECRET);
    expect(text.endsWith('\n')).toBe(true);
  });
});
