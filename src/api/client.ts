import type { DeploymentStatus } from '../controller/deployment-status.js';
import { WeftError, type ErrorCode } from '../core/errors.js';
import type {
  AuditEntry,
  AuditVerification,
  ModelSummary,
  ModelVersion,
  RunDetail,
  RunRecord,
  RunStatus,
  StageExecutionRecord,
} from '../registry/types.js';
import type { Page } from './pagination.js';
import { API_PREFIX } from './prefix.js';

export type Deployment = DeploymentStatus & { name: string; updatedAt: Date };

export interface RunsQuery {
  limit?: number;
  cursor?: string;
  status?: RunStatus;
  branch?: string;
  commit?: string;
  pipeline?: string;
  since?: Date;
  until?: Date;
  before?: number;
}

export interface AuditQuery {
  limit?: number;
  cursor?: string;
  actor?: string;
  action?: string;
  objectKind?: string;
  objectName?: string;
  since?: Date;
  before?: number;
}

export interface StageLog {
  bytes: Buffer;
  /** Size of the whole log; `bytes` is its end when `truncated`. */
  size: number;
  truncated: boolean;
}

export interface ApiClientOptions {
  /** The server, e.g. `http://10.0.0.5:8080` (the API lives under /api/v1). */
  baseUrl: string;
  /** A secret from `weft token create`. */
  token?: string;
  timeoutMs?: number;
}

/**
 * A typed client of the control-plane API: what the CLI's read commands use with `--remote`.
 * Answers come back as the store's records (times as Dates), so one renderer serves both.
 */
export class ApiClient {
  readonly #base: string;
  readonly #token: string | undefined;
  readonly #timeoutMs: number;

  constructor(options: ApiClientOptions) {
    this.#base = `${options.baseUrl.replace(/\/+$/, '').replace(/\/api\/v1$/, '')}${API_PREFIX}`;
    this.#token = options.token;
    this.#timeoutMs = options.timeoutMs ?? 30_000;
  }

  async listRuns(query: RunsQuery = {}): Promise<Page<RunRecord>> {
    const page = (await this.#get('/runs', query)) as Page<RunRecord>;
    return { ...page, items: page.items.map(reviveRun) };
  }

  async getRun(id: number): Promise<RunDetail> {
    const run = (await this.#get(`/runs/${id}`)) as RunDetail;
    return { ...reviveRun(run), stages: run.stages.map(reviveStage) };
  }

  async readStageLog(runId: number, stage: string, maxBytes?: number): Promise<StageLog> {
    const path = `/runs/${runId}/stages/${encodeURIComponent(stage)}/log`;
    const response = await this.#fetch(path, maxBytes === undefined ? {} : { maxBytes });
    return {
      bytes: Buffer.from(await response.arrayBuffer()),
      size: Number(response.headers.get('x-weft-log-size')),
      truncated: response.headers.get('x-weft-log-truncated') === 'true',
    };
  }

  async listDeployments(
    query: { limit?: number; cursor?: string } = {},
  ): Promise<Page<Deployment>> {
    const page = (await this.#get('/deployments', query)) as Page<Deployment>;
    return {
      ...page,
      items: page.items.map((d) => ({ ...d, updatedAt: new Date(d.updatedAt) })),
    };
  }

  async listModels(query: { limit?: number; cursor?: string } = {}): Promise<Page<ModelSummary>> {
    return (await this.#get('/models', query)) as Page<ModelSummary>;
  }

  async listModelVersions(
    name: string,
    query: { limit?: number; cursor?: string; commit?: string } = {},
  ): Promise<Page<ModelVersion>> {
    const page = (await this.#get(
      `/models/${encodeURIComponent(name)}/versions`,
      query,
    )) as Page<ModelVersion>;
    return {
      ...page,
      items: page.items.map((v) => ({ ...v, createdAt: new Date(v.createdAt) })),
    };
  }

  async listAudit(query: AuditQuery = {}): Promise<Page<AuditEntry>> {
    const page = (await this.#get('/audit', query)) as Page<AuditEntry>;
    return { ...page, items: page.items.map((e) => ({ ...e, at: new Date(e.at) })) };
  }

  async verifyAudit(): Promise<AuditVerification> {
    return (await this.#get('/audit/verify')) as AuditVerification;
  }

  /** Every item of a list, walking its pages. */
  async all<T>(list: (cursor: string | undefined) => Promise<Page<T>>): Promise<T[]> {
    const items: T[] = [];
    let cursor: string | undefined;
    do {
      const page = await list(cursor);
      items.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor !== undefined);
    return items;
  }

  async #get(path: string, query: object = {}): Promise<unknown> {
    return (await this.#fetch(path, query)).json();
  }

  async #fetch(path: string, query: object): Promise<Response> {
    const url = `${this.#base}${path}${toQueryString(query)}`;
    let response: Response;
    try {
      response = await fetch(url, {
        headers: this.#token === undefined ? {} : { authorization: `Bearer ${this.#token}` },
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
    } catch (error) {
      throw new WeftError(
        'SERVER_FAILED',
        `failed to reach weft at ${this.#base}: ${(error as Error).message}`,
        { cause: error },
      );
    }
    if (!response.ok) {
      const message = readError(await response.text());
      throw new WeftError(codeForStatus(response.status), `${url.replace(/\?.*/, '')}: ${message}`);
    }
    return response;
  }
}

function toQueryString(query: object): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined) continue;
    params.set(key, value instanceof Date ? value.toISOString() : String(value));
  }
  const text = params.toString();
  return text === '' ? '' : `?${text}`;
}

/** 4xx are the caller's to fix (bad flag, unknown run, missing token); the rest the server's. */
function codeForStatus(status: number): ErrorCode {
  if (status === 404) return 'NOT_FOUND';
  return status >= 400 && status < 500 ? 'USAGE' : 'SERVER_FAILED';
}

function readError(text: string): string {
  try {
    const { error } = JSON.parse(text) as { error?: unknown };
    return typeof error === 'string' ? error : text.slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}

function reviveRun<T extends RunRecord>(run: T): T {
  return {
    ...run,
    startedAt: new Date(run.startedAt),
    finishedAt: run.finishedAt === null ? null : new Date(run.finishedAt),
  };
}

function reviveStage(stage: StageExecutionRecord): StageExecutionRecord {
  return { ...stage, startedAt: new Date(stage.startedAt) };
}
