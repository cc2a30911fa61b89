import { checkOrderReference } from './feed-order-checks.js';
import type { OrderFinding, OrderLookup } from './feed-order-checks.js';
import { escapeXml } from './xml-text.js';

/*
 * XML feeds (an AmazonEnvelope of Messages) and their processing report, the XML ProcessingReport
 * Amazon has sent since MWS (selling-partner-api-docs#1181): DocumentTransactionID (the feed id),
 * StatusCode Complete, ProcessingSummary counts, and one Result per problem with MessageID,
 * ResultCode Error|Warning, ResultMessageCode, ResultDescription and AdditionalInfo (SKU or
 * AmazonOrderID). The emulator reads the envelope with regular expressions, not a validating
 * parser: it finds the messages, their MessageID, AmazonOrderID and SKU, and checks order ids
 * against the seller's orders (feed-order-checks.ts).
 */

export interface XmlContext {
  feedId: string;
  sellerId: string;
  orders: OrderLookup;
}

interface Result {
  messageId: number;
  finding: OrderFinding;
  /** AdditionalInfo elements: SKU and AmazonOrderID, when the message names them. */
  additional: Array<[name: 'SKU' | 'AmazonOrderID', value: string]>;
}

// Xerces' wording, which Amazon's reports quote (ResultMessageCode 5001).
const NOT_XML = 'XML Parsing Fatal Error at Line 1, Column 1: Content is not allowed in prolog.';

/** The processing report of an XML feed. */
export function processXmlFeed(bytes: Buffer, context: XmlContext): string {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '').trimStart();
  const body = text.replace(/^<\?xml[^>]*\?>\s*/, '');
  const parseError = (description: string): string => render(context, 0, [{ messageId: 0, finding: { kind: 'Error', code: '5001', message: description }, additional: [] }]);
  if (!body.startsWith('<')) return parseError(NOT_XML);
  const root = /^<([A-Za-z_][\w.-]*)/.exec(body)?.[1];
  if (root !== 'AmazonEnvelope') return parseError(`XML Parsing Error at Line 1, Column 1: cvc-elt.1: Cannot find the declaration of element '${root ?? ''}'.`);
  if (!/<\/AmazonEnvelope>\s*$/.test(body)) return parseError('XML Parsing Fatal Error: XML document structures must start and end within the same entity.');

  const messages = [...body.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((match) => match[1] ?? '');
  const results: Result[] = [];
  messages.forEach((message, index) => {
    const id = /<MessageID>\s*(\d+)\s*<\/MessageID>/.exec(message)?.[1];
    const messageId = id === undefined ? 0 : Number(id);
    if (id === undefined) {
      results.push({ messageId: index + 1, finding: { kind: 'Error', code: '5000', message: 'The MessageID element is missing or not a positive integer.' }, additional: [] });
      return;
    }
    const orderId = /<AmazonOrderI[Dd]>\s*([^<]*?)\s*<\/AmazonOrderI[Dd]>/.exec(message)?.[1];
    const sku = /<SKU>\s*([^<]*?)\s*<\/SKU>/.exec(message)?.[1];
    const finding = orderId === undefined ? undefined : checkOrderReference(orderId, context.orders);
    if (!finding) return;
    const additional: Result['additional'] = [];
    if (sku !== undefined) additional.push(['SKU', sku]);
    if (orderId !== undefined) additional.push(['AmazonOrderID', orderId]);
    results.push({ messageId, finding, additional });
  });
  return render(context, messages.length, results);
}

function render(context: XmlContext, processed: number, results: Result[]): string {
  const count = (kind: OrderFinding['kind']): number => new Set(results.filter((r) => r.finding.kind === kind).map((r) => r.messageId)).size;
  const withError = count('Error');
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<AmazonEnvelope xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="amzn-envelope.xsd">',
    '\t<Header>',
    '\t\t<DocumentVersion>1.02</DocumentVersion>',
    `\t\t<MerchantIdentifier>${escapeXml(context.sellerId)}</MerchantIdentifier>`,
    '\t</Header>',
    '\t<MessageType>ProcessingReport</MessageType>',
    '\t<Message>',
    '\t\t<MessageID>1</MessageID>',
    '\t\t<ProcessingReport>',
    `\t\t\t<DocumentTransactionID>${escapeXml(context.feedId)}</DocumentTransactionID>`,
    '\t\t\t<StatusCode>Complete</StatusCode>',
    '\t\t\t<ProcessingSummary>',
    `\t\t\t\t<MessagesProcessed>${processed}</MessagesProcessed>`,
    `\t\t\t\t<MessagesSuccessful>${Math.max(0, processed - withError)}</MessagesSuccessful>`,
    `\t\t\t\t<MessagesWithError>${withError}</MessagesWithError>`,
    `\t\t\t\t<MessagesWithWarning>${count('Warning')}</MessagesWithWarning>`,
    '\t\t\t</ProcessingSummary>',
  ];
  for (const result of results) {
    lines.push(
      '\t\t\t<Result>',
      `\t\t\t\t<MessageID>${result.messageId}</MessageID>`,
      `\t\t\t\t<ResultCode>${result.finding.kind}</ResultCode>`,
      `\t\t\t\t<ResultMessageCode>${result.finding.code}</ResultMessageCode>`,
      `\t\t\t\t<ResultDescription>${escapeXml(result.finding.message)}</ResultDescription>`,
    );
    if (result.additional.length > 0) {
      lines.push('\t\t\t\t<AdditionalInfo>');
      for (const [name, value] of result.additional) lines.push(`\t\t\t\t\t<${name}>${escapeXml(value)}</${name}>`);
      lines.push('\t\t\t\t</AdditionalInfo>');
    }
    lines.push('\t\t\t</Result>');
  }
  lines.push('\t\t</ProcessingReport>', '\t</Message>', '</AmazonEnvelope>', '');
  return lines.join('\n');
}
