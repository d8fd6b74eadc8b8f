import { randomBytes } from 'node:crypto';

/** A dashboard sign-in: a random id in a cookie, bound to the token that signed in. */
export interface Session {
  id: string;
  /** Hash of the token's secret: each request re-checks that the token is still usable. */
  tokenHash: string;
  /** Double-submit value the client must echo in `x-weft-csrf` on mutating requests. */
  csrfToken: string;
  expiresAt: Date;
}

export interface SessionOptions {
  /** How long a sign-in lasts; default 12 h. */
  ttlMs?: number;
  /** Most sessions kept; the oldest go first. Default 10,000. */
  maxSessions?: number;
  now?: () => Date;
}

/**
 * Sessions held in memory: a restart signs everyone out, which a token in hand undoes in one
 * request. Ids are 256 random bits, so the cookie carries nothing to forge or decode.
 */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #ttlMs: number;
  readonly #maxSessions: number;
  readonly #now: () => Date;

  constructor(options: SessionOptions = {}) {
    this.#ttlMs = options.ttlMs ?? 12 * 60 * 60 * 1000;
    this.#maxSessions = options.maxSessions ?? 10_000;
    this.#now = options.now ?? (() => new Date());
  }

  create(tokenHash: string): Session {
    const session: Session = {
      id: randomBytes(32).toString('base64url'),
      tokenHash,
      csrfToken: randomBytes(32).toString('base64url'),
      expiresAt: new Date(this.#now().getTime() + this.#ttlMs),
    };
    // Maps iterate in insertion order: the first key is the oldest session.
    while (this.#sessions.size >= this.#maxSessions) {
      const oldest = this.#sessions.keys().next().value;
      if (oldest === undefined) break;
      this.#sessions.delete(oldest);
    }
    this.#sessions.set(session.id, session);
    return session;
  }

  /** The live session with this id; an expired one is forgotten. */
  get(id: string): Session | undefined {
    const session = this.#sessions.get(id);
    if (session === undefined) return undefined;
    if (session.expiresAt.getTime() <= this.#now().getTime()) {
      this.#sessions.delete(id);
      return undefined;
    }
    return session;
  }

  delete(id: string): void {
    this.#sessions.delete(id);
  }
}
