/**
 * A feed's processing report, whatever its format, as one FeedSummary: the JSON report of a
 * JSON_LISTINGS_FEED (listings-feed-processing-report-schema-v2), the XML `ProcessingReport` of
 * XML feeds, and the tab-separated "Feed Processing Summary" of flat-file feeds (spapi-facts §10).
 */

export type IssueSeverity = 'ERROR' | 'WARNING' | 'INFO';

export interface FeedIssue {
  /** The message (JSON, XML) or record (flat file) it is about; absent for a feed-level issue. */
  messageId?: number | undefined;
  sku?: string | undefined;
  code?: string | undefined;
  severity: IssueSeverity;
  message: string;
  attributeName?: string | undefined;
}

export interface FeedSummary {
  /** The report's format, as recognised from its content. */
  format: 'json' | 'xml' | 'tsv' | 'text';
  messagesProcessed: number;
  messagesAccepted: number;
  messagesInvalid: number;
  errors: number;
  warnings: number;
  issues: FeedIssue[];
}

/**
 * Parses a processing report's text. The format is read from the content (JSON object, XML
 * element, else text); `contentType` only breaks ties. Unknown text becomes a summary with no
 * counts and one feed-level issue holding its first line, so nothing is silently dropped.
 */
export function parseProcessingReport(text: string, contentType?: string | undefined): FeedSummary {
  const body = text.replace(/^\uFEFF/, '').trimStart();
  if (body.startsWith('{') || (contentType !== undefined && /json/i.test(contentType) && body.startsWith('['))) {
    const parsed = tryJson(body);
    if (parsed !== undefined) return fromJson(parsed);
  }
  if (body.startsWith('<')) return fromXml(body);
  if (/Feed Processing Summary|original-record-number|records processed/i.test(body)) return fromTsv(body);
  const line = body.split(/\r?\n/).find((l) => l.trim() !== '') ?? '';
  return {
    format: 'text',
    messagesProcessed: 0,
    messagesAccepted: 0,
    messagesInvalid: 0,
    errors: 0,
    warnings: 0,
    issues: line ? [{ severity: 'INFO', message: line.trim().slice(0, 500) }] : [],
  };
}

/** Whether the summary fails at `failOn`: `error` fails on errors or invalid messages, `warning` on warnings too, `never` never. */
export function summaryFails(summary: FeedSummary, failOn: FailOn): boolean {
  if (failOn === 'never') return false;
  const errors = summary.errors > 0 || summary.messagesInvalid > 0;
  return failOn === 'warning' ? errors || summary.warnings > 0 : errors;
}

export const FAIL_ON = ['error', 'warning', 'never'] as const;
export type FailOn = (typeof FAIL_ON)[number];

/** Fills the SKU of issues the report names only by message id, from the feed that was sent. */
export function withSkus(summary: FeedSummary, skus: ReadonlyMap<number, string> | undefined): FeedSummary {
  if (!skus?.size) return summary;
  return {
    ...summary,
    issues: summary.issues.map((issue) => (issue.sku === undefined && issue.messageId !== undefined && skus.has(issue.messageId) ? { ...issue, sku: skus.get(issue.messageId) } : issue)),
  };
}

function tryJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function count(value: unknown): number | undefined {
  const n = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof n === 'number' && Number.isFinite(n) && n >= 0 ? n : undefined;
}

function severityOf(value: unknown): IssueSeverity {
  const text = String(value ?? '').toUpperCase();
  if (text.startsWith('ERR') || text === 'FATAL') return 'ERROR';
  if (text.startsWith('WARN')) return 'WARNING';
  return text === 'INFO' || text === 'INFORMATION' ? 'INFO' : 'ERROR';
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const out = String(value).trim();
  return out === '' ? undefined : out;
}

function messageIdOf(value: unknown): number | undefined {
  const n = count(value);
  return n !== undefined && Number.isInteger(n) && n >= 1 ? n : undefined;
}

/** listings-feed-processing-report-schema-v2: header, issues[], summary. */
function fromJson(report: unknown): FeedSummary {
  const root = (typeof report === 'object' && report !== null ? report : {}) as Record<string, unknown>;
  const rawIssues = Array.isArray(root['issues']) ? (root['issues'] as unknown[]) : [];
  const issues: FeedIssue[] = rawIssues.map((raw) => {
    const issue = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const names = Array.isArray(issue['attributeNames']) ? (issue['attributeNames'] as unknown[]).map(String).join(', ') : undefined;
    return {
      messageId: messageIdOf(issue['messageId']),
      sku: text(issue['sku']),
      code: text(issue['code']),
      severity: severityOf(issue['severity']),
      message: text(issue['message']) ?? '',
      attributeName: text(issue['attributeName']) ?? text(names),
    };
  });
  const summary = (typeof root['summary'] === 'object' && root['summary'] !== null ? root['summary'] : {}) as Record<string, unknown>;
  const errors = issues.filter((i) => i.severity === 'ERROR').length;
  const warnings = issues.filter((i) => i.severity === 'WARNING').length;
  const invalidIds = new Set(issues.filter((i) => i.severity === 'ERROR' && i.messageId !== undefined).map((i) => i.messageId));
  const processed = count(summary['messagesProcessed']);
  const invalid = count(summary['messagesInvalid']) ?? invalidIds.size;
  return {
    format: 'json',
    messagesProcessed: processed ?? 0,
    messagesAccepted: count(summary['messagesAccepted']) ?? Math.max(0, (processed ?? 0) - invalid),
    messagesInvalid: invalid,
    errors: count(summary['errors']) ?? errors,
    warnings: count(summary['warnings']) ?? warnings,
    issues: issues.map(dropUndefined),
  };
}

function dropUndefined(issue: FeedIssue): FeedIssue {
  return Object.fromEntries(Object.entries(issue).filter(([, value]) => value !== undefined)) as unknown as FeedIssue;
}

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function unescapeXml(value: string): string {
  const cdata = /^<!\[CDATA\[([\s\S]*)\]\]>$/.exec(value.trim());
  if (cdata) return cdata[1] ?? '';
  return value.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number(name.slice(1)));
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** The text of the first `<name>` element in `xml` (namespace prefixes ignored), unescaped. */
function element(xml: string, name: string): string | undefined {
  const match = new RegExp(`<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}\\s*>`).exec(xml);
  return match?.[1] === undefined ? undefined : unescapeXml(match[1]).trim();
}

/** Every `<name>…</name>` element's inner XML. */
function elements(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<(?:[\\w.-]+:)?${name}(?:\\s[^>]*)?>([\\s\\S]*?)</(?:[\\w.-]+:)?${name}\\s*>`, 'g'))].map((m) => m[1] ?? '');
}

/**
 * AmazonEnvelope / Message / ProcessingReport: DocumentTransactionID, StatusCode,
 * ProcessingSummary {MessagesProcessed, MessagesSuccessful, MessagesWithError,
 * MessagesWithWarning} and one Result per problem {MessageID, ResultCode, ResultMessageCode,
 * ResultDescription, AdditionalInfo {SKU}}.
 */
function fromXml(xml: string): FeedSummary {
  const withoutComments = xml.replace(/<!--[\s\S]*?-->/g, '');
  const summary = elements(withoutComments, 'ProcessingSummary')[0] ?? '';
  const issues: FeedIssue[] = elements(withoutComments, 'Result').map((result) => {
    const id = messageIdOf(element(result, 'MessageID'));
    const info = elements(result, 'AdditionalInfo')[0] ?? '';
    return dropUndefined({
      messageId: id,
      sku: text(element(info, 'SKU')),
      code: text(element(result, 'ResultMessageCode')),
      severity: severityOf(element(result, 'ResultCode')),
      message: element(result, 'ResultDescription') ?? '',
      attributeName: text(element(info, 'AttributeName')),
    });
  });
  const processed = count(element(summary, 'MessagesProcessed'));
  const successful = count(element(summary, 'MessagesSuccessful'));
  const withError = count(element(summary, 'MessagesWithError'));
  const withWarning = count(element(summary, 'MessagesWithWarning'));
  const errors = issues.filter((i) => i.severity === 'ERROR').length;
  const warnings = issues.filter((i) => i.severity === 'WARNING').length;
  return {
    format: 'xml',
    messagesProcessed: processed ?? 0,
    messagesAccepted: successful ?? Math.max(0, (processed ?? 0) - (withError ?? 0)),
    messagesInvalid: withError ?? new Set(issues.filter((i) => i.severity === 'ERROR').map((i) => i.messageId)).size,
    errors: Math.max(errors, issues.length ? 0 : (withError ?? 0)),
    warnings: Math.max(warnings, issues.length ? 0 : (withWarning ?? 0)),
    issues,
  };
}

/**
 * A flat-file report: "Feed Processing Summary:" with "Number of records processed" and
 * "Number of records successful", then a tab-separated table with original-record-number,
 * (sku,) error-code, error-type, error-message (and sometimes more columns).
 */
function fromTsv(body: string): FeedSummary {
  const lines = body.split(/\r?\n/);
  const figure = (pattern: RegExp): number | undefined => {
    for (const line of lines) {
      const match = pattern.exec(line);
      if (match) return count(match[1]);
    }
    return undefined;
  };
  const processed = figure(/records processed\D*(\d+)/i);
  const successful = figure(/records successful\D*(\d+)/i);
  const headerAt = lines.findIndex((line) => /(^|\t)(original-record-number|error-code|error-message)(\t|$)/i.test(line));
  const issues: FeedIssue[] = [];
  if (headerAt !== -1) {
    const columns = (lines[headerAt] ?? '').split('\t').map((c) => c.trim().toLowerCase());
    const column = (row: string[], ...names: string[]): string | undefined => {
      for (const name of names) {
        const at = columns.indexOf(name);
        if (at !== -1) return text(row[at]);
      }
      return undefined;
    };
    for (const line of lines.slice(headerAt + 1)) {
      if (line.trim() === '') continue;
      const row = line.split('\t');
      issues.push(dropUndefined({
        messageId: messageIdOf(column(row, 'original-record-number', 'record-number')),
        sku: column(row, 'sku', 'seller-sku', 'item-sku'),
        code: column(row, 'error-code'),
        severity: severityOf(column(row, 'error-type')),
        message: column(row, 'error-message') ?? '',
        attributeName: column(row, 'attribute-name', 'attribute', 'alert-name', 'field-name'),
      }));
    }
  }
  const errorRecords = new Set(issues.filter((i) => i.severity === 'ERROR').map((i) => i.messageId ?? -1));
  const invalid = processed !== undefined && successful !== undefined ? Math.max(0, processed - successful) : errorRecords.size;
  return {
    format: 'tsv',
    messagesProcessed: processed ?? 0,
    messagesAccepted: successful ?? Math.max(0, (processed ?? 0) - invalid),
    messagesInvalid: invalid,
    errors: issues.filter((i) => i.severity === 'ERROR').length || (issues.length ? 0 : invalid),
    warnings: issues.filter((i) => i.severity === 'WARNING').length,
    issues,
  };
}
