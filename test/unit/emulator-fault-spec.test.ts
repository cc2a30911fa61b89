import { describe, expect, it } from 'vitest';
import { describeFaults, parseFaultSpec } from '../../src/emulator/fault-spec.js';
import type { Faults } from '../../src/emulator/faults.js';
import { usageError } from '../helpers/usage-error.js';

describe('parseFaultSpec', () => {
  it.each<[string, Faults]>([
    ['500@3', { status5xx: [{ status: 500, onCalls: [3] }] }],
    ['500@3,7', { status5xx: [{ status: 500, onCalls: [3, 7] }] }],
    ['503@1-3', { status5xx: [{ status: 503, onCalls: [1, 2, 3] }] }],
    ['503@5,1-2', { status5xx: [{ status: 503, onCalls: [1, 2, 5] }] }],
    ['503~0.1', { status5xx: [{ status: 503, probability: 0.1 }] }],
    ['500~1', { status5xx: [{ status: 500, probability: 1 }] }],
    ['503~.25', { status5xx: [{ status: 503, probability: 0.25 }] }],
    ['503@2;503~0.5', { status5xx: [{ status: 503, onCalls: [2], probability: 0.5 }] }],
    ['500@3,7;503@4', { status5xx: [{ status: 500, onCalls: [3, 7] }, { status: 503, onCalls: [4] }] }],
    ['500@3,7,503@4', { status5xx: [{ status: 500, onCalls: [3, 7] }, { status: 503, onCalls: [4] }] }],
    ['500@1;500@4', { status5xx: [{ status: 500, onCalls: [1, 4] }] }],
    ['latency=200', { latencyMs: 200 }],
    ['latency=0', { latencyMs: 0 }],
    ['latency=150ms', { latencyMs: 150 }],
    ['throttle', { throttleAll: true }],
    ['reset-doc@2', { resetDocument: { onDownloads: [2] } }],
    ['reset-doc@1,3', { resetDocument: { onDownloads: [1, 3] } }],
    ['expire-doc@1', { expireDocument: { onDownloads: [1] } }],
    ['expire-doc@2-3,5;reset-doc@1', { expireDocument: { onDownloads: [2, 3, 5] }, resetDocument: { onDownloads: [1] } }],
    ['upload-reset@2', { resetUpload: { onUploads: [2] } }],
    ['upload-500@1,3', { failUpload: { onUploads: [1, 3] } }],
    ['feed-fatal@1-2', { fatalFeed: { onFeeds: [1, 2] } }],
    ['upload-reset@1;upload-500@2,feed-fatal@3', { resetUpload: { onUploads: [1] }, failUpload: { onUploads: [2] }, fatalFeed: { onFeeds: [3] } }],
    ['reset-doc@1;upload-reset@1', { resetDocument: { onDownloads: [1] }, resetUpload: { onUploads: [1] } }],
    ['500@1,2,latency=50', { status5xx: [{ status: 500, onCalls: [1, 2] }], latencyMs: 50 }],
    [' 503@1 ; latency = 20 ; throttle ', { status5xx: [{ status: 503, onCalls: [1] }], latencyMs: 20, throttleAll: true }],
    ['503@1;', { status5xx: [{ status: 503, onCalls: [1] }] }],
    [
      '500@3,7;503~0.1;latency=200;throttle;reset-doc@2',
      { status5xx: [{ status: 500, onCalls: [3, 7] }, { status: 503, probability: 0.1 }], latencyMs: 200, throttleAll: true, resetDocument: { onDownloads: [2] } },
    ],
  ])('%s', (spec, faults) => {
    expect(parseFaultSpec(spec)).toEqual(faults);
  });

  it.each<[string, RegExp]>([
    ['', /the spec is empty/],
    [' ; ', /the spec is empty/],
    ['502@1', /502@1: the status must be 500 or 503/],
    ['404~0.5', /the status must be 500 or 503/],
    ['500@', /500@: give at least one number after @/],
    ['500@0', /call numbers start at 1/],
    ['500@x', /"x" is not a call number or a range/],
    ['500@5-2', /the range 5-2 runs backwards/],
    ['500@1-1000000', /at most 100000 calls/],
    ['reset-doc@0', /download numbers start at 1/],
    ['7', /"7" is not a fault; numbers belong after 500@, 503@, reset-doc@, expire-doc@, upload-reset@, upload-500@, feed-fatal@/],
    ['expire-doc@0', /download numbers start at 1/],
    ['reset-doc@1-3;expire-doc@3', /download 3 is listed for both reset-doc and expire-doc/],
    ['throttle,7', /"7" is not a fault/],
    ['503~0', /probability must be a decimal above 0 and at most 1/],
    ['503~1.5', /probability must be a decimal above 0 and at most 1/],
    ['503~10%', /probability must be a decimal above 0 and at most 1/],
    ['503~0.1;503~0.2', /a probability for 503 is given twice/],
    ['latency=fast', /latency takes whole milliseconds/],
    ['latency=-5', /latency takes whole milliseconds/],
    ['latency=1;latency=2', /latency is given twice/],
    ['slow@3', /only 500@, 503@, reset-doc@, expire-doc@, upload-reset@, upload-500@, feed-fatal@ take numbers/],
    ['upload-reset@0', /upload numbers start at 1/],
    ['feed-fatal@2-1', /the range 2-1 runs backwards/],
    ['feed-fatal@0', /feed numbers start at 1 \(the first feed is 1\)/],
    ['upload-reset@1-2;upload-500@2', /upload 2 is listed for both upload-reset and upload-500/],
    ['explode', /"explode" is not a fault \(500@3,7 \| 503@1-3/],
    ['500@1,2;503@2,3', /call 2 is listed for both 500 and 503/],
  ])('refuses %j', (spec, problem) => {
    const error = usageError(() => parseFaultSpec(spec));
    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toMatch(problem);
    expect(error.message).toBe(`--faults: ${error.problems[0]}`);
    expect(error.hint).toMatch(/^--faults takes 500@3,7 \| /);
  });

  it('lists every problem of a spec at once', () => {
    const error = usageError(() => parseFaultSpec('502@1;latency=x;bogus;500@0'));
    expect(error.message).toBe('--faults has 4 problems');
    expect(error.problems).toEqual([
      '502@1: the status must be 500 or 503',
      'latency=x: latency takes whole milliseconds, e.g. latency=200',
      expect.stringMatching(/^"bogus" is not a fault/),
      '500@0: call numbers start at 1 (the first call is 1)',
    ]);
  });
});

describe('describeFaults', () => {
  it.each<[Faults, string]>([
    [{}, 'none'],
    [{ status5xx: { status: 503, onCalls: [1] } }, '503 on call 1'],
    [parseFaultSpec('500@3,7;503~0.1;latency=200;throttle;reset-doc@2'), '500 on calls 3, 7; 503 with probability 0.1; latency 200 ms; every call throttled; document download 2 reset mid-body'],
    [parseFaultSpec('500@1-12'), '500 on calls 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, … (12 in all)'],
    [parseFaultSpec('expire-doc@1,4'), 'document downloads 1, 4 refused as expired URLs'],
    [parseFaultSpec('upload-reset@1;upload-500@2,3;feed-fatal@1'), 'upload 1 reset mid-body; uploads 2, 3 answered 500 InternalError; feed 1 ending FATAL'],
  ])('%j', (faults, text) => {
    expect(describeFaults(faults)).toBe(text);
  });
});
