import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { JsonlFile } from './jsonl-file.js';

export type AuditAction = 'login' | 'add' | 'logout' | 'switch' | 'rotate-secret';

/**
 * One authorization event. The LWA client id and the Application ID are identifiers Amazon shows
 * in Seller Central (design: only the client secret and the tokens are secrets), so they are kept
 * whole: an auditor must be able to tell which app was authorized.
 */
export interface AuditRecord {
  time: string;
  user: string;
  action: AuditAction;
  profile?: string;
  appId?: string;
  clientId?: string;
  sellingPartnerId?: string;
  region?: string;
  outcome: 'ok' | 'error';
  /** The error kind (auth, usage, network, …) when the action failed. */
  error?: string;
}

export function auditPath(configDir: string): string {
  return join(configDir, 'audit.jsonl');
}

/** Appends to `<config dir>/audit.jsonl` (0600); never rotated: authorizations are rare and an audit wants them all. */
export async function appendAudit(configDir: string, record: AuditRecord): Promise<void> {
  await new JsonlFile(auditPath(configDir)).append(record);
}

/** Every record in the trail, oldest first; a line that is not a record (a torn write) is skipped. */
export async function readAudit(configDir: string): Promise<AuditRecord[]> {
  let text: string;
  try {
    text = await readFile(auditPath(configDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const records: AuditRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const value = JSON.parse(line) as AuditRecord;
      if (value && typeof value === 'object' && typeof value.time === 'string' && typeof value.action === 'string') records.push(value);
    } catch {
      // not a record
    }
  }
  return records;
}
