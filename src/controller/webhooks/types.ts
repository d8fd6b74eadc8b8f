/** The Git hosts whose webhooks weft understands, plus a generic HMAC-signed form of its own. */
export type WebhookProvider = 'github' | 'gitlab' | 'bitbucket' | 'generic';

export type WebhookEventKind = 'push' | 'tag' | 'ping' | 'other';

/** Request headers as Node gives them (duplicates may arrive as arrays). */
export type WebhookHeaders = Readonly<Record<string, string | string[] | undefined>>;

/** What a delivery says happened, the same shape whichever host sent it. */
export interface WebhookEvent {
  provider: WebhookProvider;
  /** The host's id for this delivery (kept across its retries), or the body's digest if it sends none. */
  deliveryId: string;
  kind: WebhookEventKind;
  /** Full ref, e.g. `refs/heads/main` or `refs/tags/v1`. */
  ref?: string;
  /** Branch name when `ref` is a branch, e.g. `main`. */
  branch?: string;
  /** The commit the ref points to after the push; absent when the ref was deleted. */
  commit?: string;
  /** The repository as the host names it, e.g. `octo/models`. */
  repository?: string;
}

/** An event that passed verification on a receiver; what `onTrigger` is given. */
export interface TriggerEvent extends WebhookEvent {
  receiver: string;
}

/** A verification outcome: failures carry a reason safe to log and return (never a secret). */
export type Verification = { ok: true } | { ok: false; reason: string };

export interface WebhookReceiver {
  /** Served at `POST /hooks/{name}`. */
  name: string;
  provider: WebhookProvider;
  secret: string;
  /** Only pushes to this branch trigger a reconcile. */
  branch: string;
}
