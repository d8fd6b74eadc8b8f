export { DEFAULT_RETRY_POLICY, type RetryPolicy } from './backoff.js';
export {
  createControllerEvent,
  newEventId,
  type ControllerEvent,
  type EventDraft,
  type EventObject,
  type EventSeverity,
} from './event.js';
export {
  createNotifier,
  type DeliveryReport,
  type Notifier,
  type NotifierOptions,
  type NotifyLogger,
  type NotifyTarget,
  type NotifyTargetKind,
} from './notifier.js';
export { renderSlackMessage, type SlackBlock, type SlackMessage } from './slack.js';
export {
  parseWebhookSecret,
  signStandardWebhook,
  verifyStandardWebhook,
  type HeaderSource,
  type VerifyOptions,
  type WebhookVerification,
} from './standard-webhooks.js';
export {
  decideTransition,
  forgetObject,
  TransitionFilter,
  type TransitionDecision,
  type TransitionMemory,
} from './transitions.js';
