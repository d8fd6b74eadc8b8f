import type { FastifyInstance } from 'fastify';
import type { AuditEntry } from '../../registry/types.js';
import { readTime, type ApiContext } from '../context.js';
import {
  decodeCursor,
  lowest,
  pageQueryProperties,
  toPage,
  type PageQuery,
} from '../pagination.js';
import { errorResponses, pageOf, ref, timeParam } from '../schemas/common.js';

interface AuditQuery extends PageQuery {
  actor?: string;
  action?: string;
  objectKind?: string;
  objectName?: string;
  since?: string;
  before?: number;
}

const auditFilters = {
  actor: {
    type: 'string',
    maxLength: 250,
    description: 'A token name, a Git author, `controller`.',
  },
  action: { type: 'string', maxLength: 100, description: 'An exact action, e.g. `alias.set`.' },
  objectKind: { type: 'string', maxLength: 100 },
  objectName: { type: 'string', maxLength: 250 },
  since: timeParam('Entries at or after'),
  before: { type: 'integer', minimum: 1, description: 'Entries with an id below this.' },
} as const;

/** The audit filters, `action` named `type` as events call it. */
const eventFilters = Object.fromEntries(
  Object.entries(auditFilters).filter(([name]) => name !== 'action'),
);

/**
 * The audit log, its verification, and events. The controller's events are not persisted
 * (they go to the terminal and to notification targets as they happen), so the events listed
 * here are the audit log's entries told as events: every apply, heal, rollback, revert
 * proposal, follow bump, alias move and API action.
 */
export function registerAuditRoutes(app: FastifyInstance, ctx: ApiContext): void {
  const listAudit = async (query: AuditQuery, list: string) => {
    const { limit, cursor, since, before, ...filters } = query;
    const rows = await ctx.store.listAudit({
      ...filters,
      limit: limit + 1,
      before: lowest(decodeCursor(list, cursor, 'number'), before),
      since: readTime(since, 'since'),
    });
    return toPage(rows, limit, list, (entry) => entry.id);
  };

  app.get<{ Querystring: AuditQuery }>(
    '/audit',
    {
      config: { access: 'read' },
      schema: {
        tags: ['audit'],
        summary: 'The hash-chained audit log, newest first',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { ...pageQueryProperties, ...auditFilters },
        },
        response: { 200: pageOf('AuditEntry'), ...errorResponses },
      },
    },
    async (request) => listAudit(request.query, 'audit'),
  );

  app.get(
    '/audit/verify',
    {
      config: { access: 'read' },
      schema: {
        tags: ['audit'],
        summary: 'Re-compute the hash chain; names the first entry edited or removed',
        response: { 200: ref('AuditVerification'), ...errorResponses },
      },
    },
    async () => ctx.store.verifyAudit(),
  );

  app.get<{ Querystring: Omit<AuditQuery, 'action'> & { type?: string } }>(
    '/events',
    {
      config: { access: 'read' },
      schema: {
        tags: ['audit'],
        summary: 'Events, newest first: the audit log told as events (events are not stored apart)',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...pageQueryProperties,
            ...eventFilters,
            type: { ...auditFilters.action, description: 'An event type (an audited action).' },
          },
        },
        response: { 200: pageOf('Event'), ...errorResponses },
      },
    },
    async (request) => {
      const { type, ...query } = request.query;
      const page = await listAudit({ ...query, ...(type ? { action: type } : {}) }, 'events');
      return { items: page.items.map(toEvent), nextCursor: page.nextCursor };
    },
  );
}

/** An audit entry as an event a dashboard can list: what happened to what, by whom. */
export function toEvent(entry: AuditEntry) {
  return {
    id: `audit-${entry.id}`,
    at: entry.at,
    type: entry.action,
    object: entry.object,
    actor: entry.actor,
    revision: entry.revision,
    message: `${entry.actor}: ${entry.action} ${entry.object.kind}/${entry.object.name}${describeChange(entry)}`,
  };
}

function describeChange(entry: AuditEntry): string {
  if (entry.before === null && entry.after === null) return '';
  return ` (${JSON.stringify(entry.before)} -> ${JSON.stringify(entry.after)})`;
}
