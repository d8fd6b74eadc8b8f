export { DeliveryLog, type DeliveryLogOptions } from './delivery-log.js';
export { decideTrigger, parseWebhookEvent } from './events.js';
export {
  DEFAULT_WEBHOOK_BODY_LIMIT,
  registerWebhookRoutes,
  type WebhookRoutesOptions,
} from './routes.js';
export type {
  TriggerEvent,
  Verification,
  WebhookEvent,
  WebhookEventKind,
  WebhookHeaders,
  WebhookProvider,
  WebhookReceiver,
} from './types.js';
export {
  signSha256,
  verifyBitbucket,
  verifyGeneric,
  verifyGithub,
  verifyGitlab,
  VERIFIERS,
  type Verifier,
} from './verify.js';
