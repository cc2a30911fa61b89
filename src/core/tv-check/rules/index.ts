/** Every tv-check rule, in report order (tv-checklist §2.3). */
import type { Rule } from '../types.js';
import { API_RULES } from './api.js';
import { ATT_RULES } from './att.js';
import { CRED_RULES } from './cred.js';
import { DATA_RULES } from './data.js';
import { OAUTH_RULES } from './oauth.js';
import { REG_RULES } from './reg.js';
import { SEC_RULES } from './sec.js';

export const RULES: readonly Rule[] = [...REG_RULES, ...OAUTH_RULES, ...CRED_RULES, ...SEC_RULES, ...DATA_RULES, ...API_RULES, ...ATT_RULES];
