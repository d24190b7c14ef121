/** Rules that key on what a value is called or how it is shaped rather than on a vendor prefix. */
import type { RuleSpec } from '../types.js';
import { defineRule } from './define.js';

/** `name = value` in the spellings of env files, YAML, JSON, shells and most languages; the name is checked by the validator. */
const ASSIGN = String.raw`[\w.-]{0,30}?["'\x60]?\s{0,4}(?:=|:=|:|=>|\?=|\|\|=)\s{0,4}`;
/** Groups 1-3: a quoted value; group 4: an unquoted one (the validator rejects it in code files). */
const value = (min: number) =>
  String.raw`(?:"([^"\s\\]{${min},200})"|'([^'\s\\]{${min},200})'|\x60([^\x60\s\\]{${min},200})\x60|([^\s"'\x60;,(){}\[\]<>&\\]{${min},200}))`;

const CONNECTION_TAIL = String.raw`([^\s:/?#@'"\x60]*):([^\s/?#@'"\x60]+)@([^\s/?#'"\x60:]+)`;

export const GENERIC_RULES: RuleSpec[] = [
  defineRule({
    id: 'private-key',
    description: 'Private key (PEM block)',
    regex:
      /-----BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----(?:\s|\\[nr])*([\s\S]{64,}?)(?:\s|\\[nr])*-----END[ A-Z0-9_-]{0,100}PRIVATE KEY(?: BLOCK)?-----/,
    keywords: ['-----begin'],
    validator: 'private-key',
    multiline: true,
  }),
  defineRule({
    id: 'database-url-password',
    description: 'Database connection URL with a password',
    regex: new RegExp(
      String.raw`\b(postgres(?:ql)?|mysql|mariadb|mongodb(?:\+srv)?|mssql|sqlserver|amqps?)://${CONNECTION_TAIL}`,
    ),
    keywords: ['postgres', 'mysql', 'mariadb', 'mongodb', 'mssql', 'sqlserver', 'amqp'],
    secretGroup: 3,
    validator: 'connection-url',
  }),
  defineRule({
    id: 'redis-url-password',
    description: 'Redis connection URL with a password',
    regex: new RegExp(String.raw`\b(rediss?)://${CONNECTION_TAIL}`),
    keywords: ['redis'],
    secretGroup: 3,
    validator: 'connection-url',
  }),
  defineRule({
    id: 'generic-api-key',
    description: 'High-entropy value assigned to a secret, key or token name',
    regex: new RegExp(`(?:secret|token|key|credential|creds)${ASSIGN}${value(16)}`, 'i'),
    keywords: ['secret', 'token', 'key', 'credential', 'creds'],
    entropy: 3.5,
    validator: 'generic-assignment',
  }),
  defineRule({
    id: 'password-assignment',
    description: 'Password assigned in code or config',
    regex: new RegExp(`(?:passw(?:or)?d|pwd|pass(?:phrase)?)${ASSIGN}${value(8)}`, 'i'),
    keywords: ['passw', 'pwd', 'pass'],
    entropy: 3,
    validator: 'generic-password',
  }),
];
