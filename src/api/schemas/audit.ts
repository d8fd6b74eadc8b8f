import { anyJson, dateTime, nullable, nullableDateTime } from './common.js';

const objectRef = {
  type: 'object',
  required: ['kind', 'name'],
  properties: { kind: { type: 'string' }, name: { type: 'string' } },
} as const;

const auditProperties = {
  id: { type: 'integer' },
  at: dateTime,
  actor: { type: 'string', description: 'A commit author, an API token name, or `controller`.' },
  action: { type: 'string' },
  object: objectRef,
  revision: nullable('string'),
  before: anyJson,
  after: anyJson,
  prevHash: { type: 'string' },
  hash: { type: 'string' },
} as const;

export const auditEntrySchema = {
  $id: 'AuditEntry',
  type: 'object',
  required: Object.keys(auditProperties),
  properties: auditProperties,
} as const;

export const auditVerificationSchema = {
  $id: 'AuditVerification',
  type: 'object',
  required: ['ok', 'entries'],
  properties: {
    ok: { type: 'boolean' },
    entries: { type: 'integer', description: 'Entries that verify (before the break, if any).' },
    brokenAt: { type: 'integer' },
    reason: { type: 'string' },
  },
} as const;

const eventProperties = {
  id: { type: 'string' },
  at: dateTime,
  type: { type: 'string', description: 'The audited action, e.g. `deployment.apply`.' },
  object: objectRef,
  actor: { type: 'string' },
  revision: nullable('string'),
  message: { type: 'string' },
} as const;

export const eventSchema = {
  $id: 'Event',
  type: 'object',
  required: Object.keys(eventProperties),
  description: 'A change the audit log recorded, told as an event.',
  properties: eventProperties,
} as const;

const tokenProperties = {
  id: { type: 'integer' },
  name: { type: 'string' },
  scope: { type: 'string', enum: ['read', 'deploy', 'admin'] },
  createdAt: dateTime,
  lastUsedAt: nullableDateTime,
  revokedAt: nullableDateTime,
} as const;

export const tokenSchema = {
  $id: 'Token',
  type: 'object',
  required: Object.keys(tokenProperties),
  description: 'An API token, without its secret (only its hash is stored).',
  properties: tokenProperties,
} as const;

export const createdTokenSchema = {
  $id: 'CreatedToken',
  type: 'object',
  required: ['token', 'secret'],
  properties: {
    token: { $ref: 'Token#' },
    secret: { type: 'string', description: 'Shown this once: `weft_` and 43 base62 characters.' },
  },
} as const;

export const sessionSchema = {
  $id: 'Session',
  type: 'object',
  required: ['name', 'scope', 'csrfToken', 'expiresAt'],
  properties: {
    name: { type: 'string', description: "The signed-in token's name." },
    scope: { type: 'string', enum: ['read', 'deploy', 'admin'] },
    csrfToken: {
      type: 'string',
      description: 'Send as `x-weft-csrf` on every POST, PUT and DELETE made with the cookie.',
    },
    expiresAt: dateTime,
  },
} as const;
