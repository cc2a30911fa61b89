/**
 * Documents: the one pipeline that downloads report documents (and, later, Data Kiosk and feed
 * result documents) from their presigned URLs, and the polling loop of the report/query/feed
 * lifecycles. A library: it never prints, prompts or exits; it returns data or throws SpapiError.
 */
export { downloadDocument, type DocumentSource, type DownloadOptions, type DownloadProgress, type DownloadResult } from './download.js';
export { DocumentStoreError, describeUrl } from './store-error.js';
export { DOCUMENT_FORMATS, type DocumentFormat } from './formats.js';
export { charsetOfContentType, checkCharset, isKnownCharset } from './charset.js';
export { pollUntil, type PollOptions } from './poll.js';
export { readSmallDocument, readErrorReason, errorReason, openOutput, type MultiDocumentOutput } from './collect.js';
export { checkOutputPath } from './output.js';
