import type {
  FastifyError,
  FastifyInstance,
  FastifyReply,
  FastifyRequest,
  onRequestHookHandler,
} from 'fastify';
import { WeftError } from '../../core/errors.js';
import { DeliveryLog } from './delivery-log.js';
import { decideTrigger, parseWebhookEvent } from './events.js';
import type { TriggerEvent, WebhookProvider, WebhookReceiver } from './types.js';
import { VERIFIERS } from './verify.js';

export interface WebhookRoutesOptions {
  receivers: readonly WebhookReceiver[];
  /** Largest body accepted; larger ones get 413 before any verification. Default 1 MiB. */
  bodyLimitBytes?: number;
  /** Called once per verified, first-seen push to a receiver's branch. */
  onTrigger: (event: TriggerEvent) => void;
  /** Replay memory; pass one to share it or to control its clock. */
  deliveries?: DeliveryLog;
}

export const DEFAULT_WEBHOOK_BODY_LIMIT = 1 << 20;

type HookRequest = FastifyRequest<{ Params: { name: string } }>;

/**
 * Serves `POST /hooks/{name}` for each receiver. The routes live in their own encapsulated
 * plugin whose only body parser keeps the raw bytes (signatures are over those bytes, not over
 * re-serialised JSON), so the app's other routes keep their usual parsing.
 *
 * Answers: 200 `{ok, triggered, reason}`; ping 200 `{ok, pong}`; bad or missing signature 401;
 * redelivery 200 `{triggered: false, reason: 'duplicate delivery'}`; unknown receiver 404;
 * body over the limit 413. Secrets appear in no answer and no log line.
 */
export async function registerWebhookRoutes(
  app: FastifyInstance,
  options: WebhookRoutesOptions,
): Promise<void> {
  const receivers = indexReceivers(options.receivers);
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_WEBHOOK_BODY_LIMIT;
  const deliveries = options.deliveries ?? new DeliveryLog();
  const rejectUnknownReceiver: onRequestHookHandler = (request, reply, done) => {
    const { name } = (request as HookRequest).params;
    if (receivers.has(name)) return done();
    void reply.status(404).send({ error: `no webhook receiver named "${name}"` });
  };
  await app.register((scope, _options, done) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit }, (_request, body, parsed) =>
      parsed(null, body),
    );
    scope.setErrorHandler(answerError);
    scope.post(
      '/hooks/:name',
      { bodyLimit, onRequest: rejectUnknownReceiver },
      (request, reply) => {
        const receiver = receivers.get((request as HookRequest).params.name);
        // rejectUnknownReceiver has already answered for names not in the map.
        if (receiver) handleDelivery(receiver, request, reply, { deliveries, ...options });
      },
    );
    done();
  });
}

function handleDelivery(
  receiver: WebhookReceiver,
  request: FastifyRequest,
  reply: FastifyReply,
  context: { deliveries: DeliveryLog; onTrigger: WebhookRoutesOptions['onTrigger'] },
): void {
  const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const log = request.log.child({ receiver: receiver.name, provider: receiver.provider });
  const verification = VERIFIERS[receiver.provider](request.headers, rawBody, receiver.secret);
  if (!verification.ok) {
    log.warn({ reason: verification.reason }, 'webhook rejected');
    void reply.status(401).send({ error: verification.reason });
    return;
  }
  const parsed = parseWebhookEvent(receiver.provider, request.headers, rawBody, receiver.branch);
  if (!parsed.ok) {
    void reply.status(400).send({ error: `failed to read webhook payload: ${parsed.reason}` });
    return;
  }
  const event = parsed.value;
  if (event.kind === 'ping') {
    void reply.send({ ok: true, pong: true });
    return;
  }
  // Keyed per receiver: two receivers may be fed the same delivery by one host hook.
  const key = `${receiver.name}/${event.deliveryId}`;
  if (context.deliveries.has(key)) {
    void reply.send({ ok: true, triggered: false, reason: 'duplicate delivery' });
    return;
  }
  const { triggered, reason } = decideTrigger(event, receiver.branch);
  // A throwing trigger leaves the delivery unrecorded, so the host's retry gets another chance.
  if (triggered) context.onTrigger({ ...event, receiver: receiver.name });
  context.deliveries.add(key);
  log.info({ deliveryId: event.deliveryId, kind: event.kind, triggered, reason }, 'webhook');
  void reply.send({ ok: true, triggered, reason });
}

function answerError(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.statusCode ?? 500;
  if (status >= 500) request.log.error({ err: error }, 'webhook failed');
  const message = status >= 500 ? 'failed to handle webhook' : error.message;
  void reply.status(status).send({ error: message });
}

const RECEIVER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const PROVIDERS: ReadonlySet<WebhookProvider> = new Set([
  'github',
  'gitlab',
  'bitbucket',
  'generic',
]);

function indexReceivers(receivers: readonly WebhookReceiver[]): Map<string, WebhookReceiver> {
  const byName = new Map<string, WebhookReceiver>();
  for (const receiver of receivers) {
    const problem = findReceiverProblem(receiver, byName);
    if (problem) {
      throw new WeftError(
        'USAGE',
        `failed to register webhook receiver "${receiver.name}": ${problem}`,
      );
    }
    byName.set(receiver.name, receiver);
  }
  return byName;
}

function findReceiverProblem(
  receiver: WebhookReceiver,
  seen: ReadonlyMap<string, WebhookReceiver>,
): string | undefined {
  if (!RECEIVER_NAME.test(receiver.name)) return 'name must be letters, digits, ".", "_" or "-"';
  if (seen.has(receiver.name)) return 'another receiver has the same name';
  if (!PROVIDERS.has(receiver.provider)) return `unknown provider "${String(receiver.provider)}"`;
  // An empty key would make every signature computable by anyone.
  if (receiver.secret.length === 0) return 'secret is empty';
  if (receiver.branch.length === 0) return 'branch is empty';
  return undefined;
}
