/** Processing reports in their three formats, summarised alike. */
import { describe, expect, it } from 'vitest';
import { parseProcessingReport, summaryFails, withSkus, type FeedSummary } from '../../src/core/feeds/processing-report.js';

const jsonReport = JSON.stringify({
  header: { sellerId: 'AEMULATORSELLER', version: '2.0', feedId: '50011019999' },
  issues: [
    { messageId: 2, sku: 'NO-SUCH-SKU', code: '4000004', severity: 'ERROR', message: 'The SKU does not exist.' },
    { messageId: 3, code: '90220', severity: 'ERROR', message: "'[item_name]' is required but not supplied.", attributeName: 'item_name' },
    { messageId: 1, sku: 'EMU-SKU-001', code: '18448', severity: 'WARNING', message: 'Attributes are incomplete.' },
    { code: '99001', severity: 'ERROR', message: 'A feed-level problem.' },
  ],
  summary: { errors: 3, warnings: 1, messagesProcessed: 3, messagesAccepted: 1, messagesInvalid: 2 },
});

const xmlReport = `<?xml version="1.0" encoding="UTF-8"?>
<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">
  <Header><DocumentVersion>1.02</DocumentVersion><MerchantIdentifier>AEMULATORSELLER</MerchantIdentifier></Header>
  <MessageType>ProcessingReport</MessageType>
  <Message>
    <MessageID>1</MessageID>
    <ProcessingReport>
      <DocumentTransactionID>50011020000</DocumentTransactionID>
      <StatusCode>Complete</StatusCode>
      <ProcessingSummary>
        <MessagesProcessed>3</MessagesProcessed>
        <MessagesSuccessful>1</MessagesSuccessful>
        <MessagesWithError>2</MessagesWithError>
        <MessagesWithWarning>1</MessagesWithWarning>
      </ProcessingSummary>
      <Result>
        <MessageID>2</MessageID>
        <ResultCode>Error</ResultCode>
        <ResultMessageCode>25</ResultMessageCode>
        <ResultDescription>We are unable to process the order &amp; its items: &lt;unknown&gt;</ResultDescription>
        <AdditionalInfo><AmazonOrderID>111-0000000-0000000</AmazonOrderID></AdditionalInfo>
      </Result>
      <Result>
        <MessageID>3</MessageID>
        <ResultCode>Error</ResultCode>
        <ResultMessageCode>13013</ResultMessageCode>
        <ResultDescription><![CDATA[SKU <EMU-SKU-404> not found]]></ResultDescription>
        <AdditionalInfo><SKU>EMU-SKU-404</SKU></AdditionalInfo>
      </Result>
      <Result>
        <MessageID>1</MessageID>
        <ResultCode>Warning</ResultCode>
        <ResultMessageCode>5000</ResultMessageCode>
        <ResultDescription>Carrier name not recognised</ResultDescription>
      </Result>
    </ProcessingReport>
  </Message>
</AmazonEnvelope>`;

const tsvReport = [
  'Feed Processing Summary:',
  '\tNumber of records processed\t\t3',
  '\tNumber of records successful\t\t1',
  '',
  'original-record-number\torder-id\torder-item-id\terror-code\terror-type\terror-message',
  '2\t111-0000000-0000000\t\t90012\tError\tThe file is not a valid flat file.',
  '3\t111-0000000-0000001\t12345\t18028\tError\tThe order id was not found.',
  '3\t111-0000000-0000001\t12345\t5001\tWarning\tShip date is in the future.',
  '',
].join('\r\n');

describe('parseProcessingReport', () => {
  it('JSON (listings-feed-processing-report v2): the summary as Amazon counts it, feed-level issues kept', () => {
    const summary = parseProcessingReport(jsonReport, 'application/json');
    expect(summary).toMatchObject({ format: 'json', messagesProcessed: 3, messagesAccepted: 1, messagesInvalid: 2, errors: 3, warnings: 1 });
    expect(summary.issues).toEqual([
      { messageId: 2, sku: 'NO-SUCH-SKU', code: '4000004', severity: 'ERROR', message: 'The SKU does not exist.' },
      { messageId: 3, code: '90220', severity: 'ERROR', message: "'[item_name]' is required but not supplied.", attributeName: 'item_name' },
      { messageId: 1, sku: 'EMU-SKU-001', code: '18448', severity: 'WARNING', message: 'Attributes are incomplete.' },
      { code: '99001', severity: 'ERROR', message: 'A feed-level problem.' },
    ]);
  });

  it('JSON without a summary: counted from the issues', () => {
    const summary = parseProcessingReport(JSON.stringify({ issues: [{ messageId: 4, severity: 'ERROR', message: 'x' }, { messageId: 4, severity: 'ERROR', message: 'y' }] }));
    expect(summary).toMatchObject({ errors: 2, warnings: 0, messagesInvalid: 1 });
  });

  it('XML ProcessingReport: the summary, each Result, entities and CDATA undone', () => {
    const summary = parseProcessingReport(xmlReport, 'text/xml');
    expect(summary).toMatchObject({ format: 'xml', messagesProcessed: 3, messagesAccepted: 1, messagesInvalid: 2, errors: 2, warnings: 1 });
    expect(summary.issues).toEqual([
      { messageId: 2, code: '25', severity: 'ERROR', message: 'We are unable to process the order & its items: <unknown>' },
      { messageId: 3, sku: 'EMU-SKU-404', code: '13013', severity: 'ERROR', message: 'SKU <EMU-SKU-404> not found' },
      { messageId: 1, code: '5000', severity: 'WARNING', message: 'Carrier name not recognised' },
    ]);
  });

  it('XML with only the counts: errors and warnings from them', () => {
    const summary = parseProcessingReport('<ProcessingReport><ProcessingSummary><MessagesProcessed>5</MessagesProcessed><MessagesSuccessful>5</MessagesSuccessful><MessagesWithError>0</MessagesWithError><MessagesWithWarning>2</MessagesWithWarning></ProcessingSummary></ProcessingReport>');
    expect(summary).toMatchObject({ messagesProcessed: 5, messagesAccepted: 5, messagesInvalid: 0, errors: 0, warnings: 2, issues: [] });
  });

  it('flat file (TSV "Feed Processing Summary"): counts and one issue per row', () => {
    const summary = parseProcessingReport(tsvReport, 'text/plain; charset=UTF-8');
    expect(summary).toMatchObject({ format: 'tsv', messagesProcessed: 3, messagesAccepted: 1, messagesInvalid: 2, errors: 2, warnings: 1 });
    expect(summary.issues[0]).toEqual({ messageId: 2, code: '90012', severity: 'ERROR', message: 'The file is not a valid flat file.' });
    expect(summary.issues[2]).toMatchObject({ messageId: 3, severity: 'WARNING' });
  });

  it('a flat-file report of a clean feed', () => {
    const summary = parseProcessingReport('Feed Processing Summary:\n\tNumber of records processed\t\t7\n\tNumber of records successful\t\t7\n');
    expect(summary).toMatchObject({ messagesProcessed: 7, messagesAccepted: 7, messagesInvalid: 0, errors: 0, warnings: 0, issues: [] });
  });

  it('unknown text is kept as one feed-level note, never dropped', () => {
    expect(parseProcessingReport('\n Something unexpected happened\nmore\n')).toMatchObject({ format: 'text', issues: [{ severity: 'INFO', message: 'Something unexpected happened' }] });
  });
});

describe('summaryFails and withSkus', () => {
  const base: FeedSummary = { format: 'json', messagesProcessed: 2, messagesAccepted: 2, messagesInvalid: 0, errors: 0, warnings: 0, issues: [] };

  it.each([
    [base, 'error', false],
    [{ ...base, warnings: 1 }, 'error', false],
    [{ ...base, warnings: 1 }, 'warning', true],
    [{ ...base, errors: 1 }, 'error', true],
    [{ ...base, messagesInvalid: 1 }, 'error', true],
    [{ ...base, errors: 3 }, 'never', false],
  ] as const)('%j at --fail-on %s → %s', (summary, failOn, fails) => {
    expect(summaryFails(summary, failOn)).toBe(fails);
  });

  it('names the SKU of issues reported by message id only', () => {
    const summary = { ...base, issues: [{ messageId: 1, severity: 'ERROR' as const, message: 'x' }, { messageId: 2, sku: 'KEPT', severity: 'ERROR' as const, message: 'y' }, { severity: 'ERROR' as const, message: 'z' }] };
    expect(withSkus(summary, new Map([[1, 'EMU-SKU-001'], [2, 'OTHER']])).issues.map((i) => i.sku)).toEqual(['EMU-SKU-001', 'KEPT', undefined]);
  });
});
