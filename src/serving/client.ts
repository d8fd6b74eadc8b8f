import { WeftError } from '../core/errors.js';
import type { ShadowStats, TimeWindow } from './evidence/index.js';
import type { LiveEvidence } from './live-evidence.js';
import type { TrafficPolicy } from './model-table.js';

interface TrafficBody {
  weights: Record<string, number>;
  shadow?: string;
}

/**
 * A client of a weft model server's HTTP API (OIP v2 with its repository, traffic and evidence
 * extensions): what a controller running in another process drives.
 */
export class ServingClient {
  readonly #base: string;
  readonly #timeoutMs: number;
  readonly #headers: Record<string, string>;

  /** `token`: a deploy token, which a server with tokens asks for on load, unload and traffic. */
  constructor(baseUrl: string, options: { timeoutMs?: number; token?: string } = {}) {
    this.#base = baseUrl.replace(/\/+$/, '');
    this.#timeoutMs = options.timeoutMs ?? 30_000;
    this.#headers = options.token ? { authorization: `Bearer ${options.token}` } : {};
  }

  /** The versions of `model` loaded (its OIP model metadata), or undefined when none is. */
  async loadedVersions(model: string): Promise<string[] | undefined> {
    const metadata = await this.#call('GET', modelPath(model), undefined, [404]);
    return (metadata as { versions: string[] } | undefined)?.versions;
  }

  /** The model's split, or undefined when the model is not loaded. */
  async traffic(model: string): Promise<TrafficPolicy | undefined> {
    const body = await this.#call('GET', `${modelPath(model)}/traffic`, undefined, [404]);
    return body === undefined ? undefined : readTraffic(body as TrafficBody);
  }

  async setTraffic(model: string, traffic: TrafficPolicy): Promise<void> {
    const body: TrafficBody = {
      weights: Object.fromEntries(traffic.weights.map((w) => [w.version, w.weight])),
    };
    if (traffic.shadow) body.shadow = traffic.shadow;
    await this.#call('PUT', `${modelPath(model)}/traffic`, body);
  }

  /** Loads a registered version; the server reads it from its registry. */
  async load(model: string, version: string): Promise<void> {
    const path = `/v2/repository/models/${encodeURIComponent(model)}/load`;
    await this.#call('POST', path, { parameters: { version } });
  }

  async unload(model: string, version: string): Promise<void> {
    const path = `/v2/repository/models/${encodeURIComponent(model)}/unload`;
    await this.#call('POST', path, { parameters: { version } }, [404]);
  }

  async evidence(
    model: string,
    version: string,
    window: TimeWindow,
    baseline?: string,
  ): Promise<LiveEvidence> {
    const query = new URLSearchParams({ from: String(window.from), to: String(window.to) });
    if (baseline) query.set('baseline', baseline);
    const path = `${versionPath(model, version)}/evidence?${query.toString()}`;
    return (await this.#call('GET', path)) as LiveEvidence;
  }

  async shadowStats(model: string, version: string, window: TimeWindow): Promise<ShadowStats> {
    const query = new URLSearchParams({ from: String(window.from), to: String(window.to) });
    const path = `${versionPath(model, version)}/shadow?${query.toString()}`;
    return (await this.#call('GET', path)) as ShadowStats;
  }

  /** One request; a status in `absentOk` reads as "nothing there" (undefined), others throw. */
  async #call(
    method: string,
    path: string,
    body?: unknown,
    absentOk: number[] = [],
  ): Promise<unknown> {
    const url = `${this.#base}${path}`;
    let response: Response;
    try {
      response = await fetch(url, {
        method,
        signal: AbortSignal.timeout(this.#timeoutMs),
        ...(body === undefined
          ? { headers: this.#headers }
          : {
              headers: { ...this.#headers, 'content-type': 'application/json' },
              body: JSON.stringify(body),
            }),
      });
    } catch (error) {
      throw new WeftError(
        'SERVER_FAILED',
        `failed to reach the model server at ${this.#base} (${method} ${path}): ${(error as Error).message}`,
        { cause: error },
      );
    }
    const text = await response.text();
    if (absentOk.includes(response.status)) return undefined;
    if (!response.ok) {
      throw new WeftError(
        'SERVER_FAILED',
        `the model server answered ${method} ${path} with ${response.status}: ${readError(text)}`,
      );
    }
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  }
}

function modelPath(model: string): string {
  return `/v2/models/${encodeURIComponent(model)}`;
}

function versionPath(model: string, version: string): string {
  return `${modelPath(model)}/versions/${encodeURIComponent(version)}`;
}

function readTraffic(body: TrafficBody): TrafficPolicy {
  const policy: TrafficPolicy = {
    weights: Object.entries(body.weights).map(([version, weight]) => ({ version, weight })),
  };
  if (body.shadow) policy.shadow = body.shadow;
  return policy;
}

function readError(text: string): string {
  try {
    const { error } = JSON.parse(text) as { error?: unknown };
    return typeof error === 'string' ? error : text;
  } catch {
    return text.slice(0, 200);
  }
}
