import { describe, expect, it } from 'vitest';
import { isDocumentId } from '../../src/cli/commands/reports/download.js';
import { reportOptions, reportRange } from '../../src/cli/commands/reports/shared.js';
import { errorReason } from '../../src/core/documents/collect.js';
import { byteProgressText, formatBytes } from '../../src/cli/io.js';
import { isRestrictedReportType } from '../../src/core/reports/restricted-types.js';

const NOW = new Date('2026-12-01T12:00:00Z');

describe('reports flags', () => {
  it('--start/--end take ages, dates and now', () => {
    expect(reportRange('30d', 'now', NOW)).toEqual({ dataStartTime: '2026-11-01T12:00:00Z', dataEndTime: '2026-12-01T12:00:00Z' });
    expect(reportRange('2026-11-01', undefined, NOW)).toEqual({ dataStartTime: '2026-11-01T00:00:00Z' });
    expect(() => reportRange('1d', '2d', NOW)).toThrow(/after --end/);
    expect(() => reportRange('2026-02-30', undefined, NOW)).toThrow(/--start/);
  });

  it('--option key=value', () => {
    expect(reportOptions(['a=1', 'b=x=y'])).toEqual({ a: '1', b: 'x=y' });
    expect(() => reportOptions(['nokey'])).toThrow(/key=value/);
  });

  it('document ids and report ids', () => {
    expect(isDocumentId('amzn1.spdoc.1.4.na.abc')).toBe(true);
    expect(isDocumentId('50821877003')).toBe(false);
  });

  it('an error document\'s reason', () => {
    expect(errorReason('{"errorDetails":"Report processing failed: no access."}')).toBe('Report processing failed: no access.');
    expect(errorReason('plain\ntext  reason')).toBe('plain text reason');
  });

  it('restricted report types get an RDT, others not', () => {
    expect(isRestrictedReportType('GET_FLAT_FILE_ORDER_REPORT_DATA_SHIPPING')).toBe(true);
    expect(isRestrictedReportType('GET_MERCHANT_LISTINGS_ALL_DATA')).toBe(false);
  });
});

describe('byte progress text', () => {
  it.each([
    [0, '0 B'],
    [1536, '1.5 KiB'],
    [5 * 1024 ** 3, '5.0 GiB'],
  ])('formatBytes(%i) = %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
  it('received of total, percentage, throughput', () => {
    expect(byteProgressText('report 1', 512 * 1024 ** 2, 1024 ** 3, 2000)).toBe('report 1 512.0 MiB / 1.0 GiB (50%)  256.0 MiB/s');
    expect(byteProgressText('report 1', 1024, undefined, 0)).toBe('report 1 1.0 KiB');
  });
});
