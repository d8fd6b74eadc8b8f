import type { Command } from 'commander';
import { openStore } from '../../app/open.js';
import { WeftError } from '../../core/errors.js';
import { openMetadataStore } from '../../registry/index.js';
import type { TrafficPolicy } from '../../serving/model-table.js';
import { loadWorkspace } from '../../exec/workspace.js';
import { resolveCommandConfig } from '../context.js';
import { findModelVersion } from '../model-ref.js';
import { printLine, waitForSignal } from '../output.js';

interface ServeFlags {
  host: string;
  port: string;
  model: string[];
  external: string[];
  traffic?: string;
  shadow?: string;
  bodyLimit: string;
  maxBatchSize?: string;
  maxBatchLatencyMs?: string;
  logLevel: string;
  empty?: boolean;
  onnxWorkers?: string;
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('serve model versions over the Open Inference Protocol v2 (REST)')
    .argument('[refs...]', 'NAME, NAME@VERSION, NAME:ALIAS from the registry (one or more)')
    .option('--model <file>', 'serve an ONNX file outside the registry (repeatable)', collect, [])
    .option(
      '--external <spec>',
      'NAME@VERSION=COMMAND: a model server process of any language, speaking OIP on {port} (repeatable)',
      collect,
      [],
    )
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('-p, --port <port>', 'port (0: any free one)', '8080')
    .option('--traffic <split>', 'weights per version, e.g. penguins@1=90,penguins@2=10')
    .option('--shadow <ref>', 'NAME@VERSION that gets a copy of every request (never answers)')
    .option('--body-limit <bytes>', 'largest request body; larger ones get 413', String(16 << 20))
    .option('--max-batch-size <rows>', 'turn dynamic batching on: rows per batch at most')
    .option(
      '--max-batch-latency-ms <ms>',
      'with batching: longest a request waits for its batch',
      '5',
    )
    .option(
      '--onnx-workers <n>',
      'worker threads that run the ONNX models, shared by every version (default: one per CPU)',
    )
    .option('--log-level <level>', 'pino level: fatal, error, warn, info, debug', 'info')
    .option(
      '--empty',
      'start with no model loaded: a controller (weft up --server URL) or the repository API loads them',
    )
    .action(async (refs: string[], flags: ServeFlags, command: Command) => {
      const config = resolveCommandConfig(command);
      const named = refs.length + flags.model.length + flags.external.length;
      if (named === 0 && !flags.empty) {
        throw new WeftError(
          'USAGE',
          'name a model to serve: weft serve NAME[@VERSION|:ALIAS] or --model FILE (or --empty, for weft up --server to load)',
        );
      }
      const onnxOptions = onnxWorkersOf(flags);
      const { createModelServer } = await import('../../serving/server.js');
      const { OnnxPool } = await import('../../serving/runtime/onnx-runtime.js');
      const {
        createRegistryLoader,
        loadModelFile,
        loadExternalVersion,
        loadRegisteredVersion,
        readEvaluationReference,
      } = await import('../../app/serve-models.js');
      const metadata = await openMetadataStore(config.metadata);
      const workspace = await loadWorkspace(config.root, config.weftDir).catch(() => undefined);
      const references = workspace
        ? await readEvaluationReference(config.root, workspace.pipeline)
        : new Map();
      const onnx = new OnnxPool({
        ...onnxOptions,
        // Logged by the server, which is created with the pool (and closes it).
        logger: {
          info: (fields, message) => server.app.log.info(fields, message),
          warn: (fields, message) => server.app.log.warn(fields, message),
          error: (fields, message) => server.app.log.error(fields, message),
        },
      });
      const source = { store: await openStore(config), metadata, references, onnx };
      const server = createModelServer({
        bodyLimitBytes: parseCount(flags.bodyLimit, '--body-limit'),
        logger: { level: flags.logLevel },
        loadVersion: createRegistryLoader(source),
        managementHooks: (await import('../../api/index.js')).servingManagementHooks(metadata),
        onnxPool: onnx,
        ...batchingOf(flags),
      });
      try {
        for (const ref of refs)
          server.load(await loadRegisteredVersion(source, await findModelVersion(metadata, ref)));
        for (const file of flags.model) server.load(await loadModelFile(file, { onnx }));
        for (const spec of flags.external) {
          server.load(
            await loadExternalVersion(
              { ...parseExternal(spec), cwd: config.root },
              { logger: server.app.log },
            ),
          );
        }
        for (const [model, traffic] of parseTraffic(flags.traffic, flags.shadow)) {
          // A shadow alone keeps the split the model already has.
          if (traffic.weights.length === 0)
            traffic.weights = server.table.models.get(model)?.traffic.weights ?? [];
          server.setTraffic(model, traffic);
        }
        const api = await import('../../api/index.js');
        api.assertSafeBind(flags.host, await api.hasUsableTokens(metadata));
        const { localLiveView } = await import('../../controller/local-live-server.js');
        await api.registerApiRoutes(server.app, {
          store: metadata,
          objects: source.store,
          live: localLiveView(server),
        });
        if (!api.isLoopbackHost(flags.host)) {
          process.stderr.write(
            `weft: warning: serving on ${flags.host}: /api/v1 and model management take tokens, but inference (/v2/.../infer) has no authentication; put it behind your gateway\n`,
          );
        }
        const address = await server.listen({
          host: flags.host,
          port: parseCount(flags.port, '--port'),
        });
        if (server.table.models.size === 0) {
          printLine(
            `serving no model yet at ${address}: load versions with POST ${address}/v2/repository/models/NAME/load`,
          );
        }
        for (const [name, entry] of server.table.models) {
          printLine(
            `serving ${name} versions ${[...entry.versions.keys()].join(', ')} at ${address}/v2/models/${name}/infer`,
          );
        }
      } catch (error) {
        await server.close();
        await metadata.close();
        throw error;
      }
      await waitForSignal();
      printLine('draining: finishing requests in flight');
      await server.close();
      await metadata.close();
    });
}

/** `NAME@VERSION=COMMAND ARGS...`: the command is split on spaces and run without a shell. */
function parseExternal(spec: string): { model: string; version: string; command: string[] } {
  const match = /^([^@=\s]+)@([^=\s]+)=(.+)$/.exec(spec);
  const command = match?.[3]?.trim().split(/\s+/) ?? [];
  if (!match || command.length === 0) {
    throw new WeftError('USAGE', `--external: expected NAME@VERSION=COMMAND, got "${spec}"`);
  }
  return { model: match[1] ?? '', version: match[2] ?? '', command };
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseCount(text: string, flag: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new WeftError('USAGE', `${flag} must be a whole number >= 0, got "${text}"`);
  }
  return value;
}

function onnxWorkersOf(flags: ServeFlags): { workers?: number } {
  if (flags.onnxWorkers === undefined) return {};
  const workers = parseCount(flags.onnxWorkers, '--onnx-workers');
  if (workers === 0) throw new WeftError('USAGE', '--onnx-workers must be at least 1, got 0');
  return { workers };
}

function batchingOf(flags: ServeFlags): {
  batching?: { maxBatchSize: number; maxLatencyMs: number };
} {
  if (flags.maxBatchSize === undefined) return {};
  return {
    batching: {
      maxBatchSize: parseCount(flags.maxBatchSize, '--max-batch-size'),
      maxLatencyMs: parseCount(flags.maxBatchLatencyMs ?? '5', '--max-batch-latency-ms'),
    },
  };
}

/** `penguins@1=90,penguins@2=10` and `--shadow penguins@3` -> one policy per model. */
export function parseTraffic(
  split: string | undefined,
  shadow: string | undefined,
): Map<string, TrafficPolicy> {
  const policies = new Map<string, TrafficPolicy>();
  const policyOf = (model: string): TrafficPolicy => {
    const existing = policies.get(model);
    if (existing) return existing;
    const created: TrafficPolicy = { weights: [] };
    policies.set(model, created);
    return created;
  };
  for (const part of split ? split.split(',') : []) {
    const match = /^([^@=\s]+)@([^=\s]+)=(\d+(?:\.\d+)?)$/.exec(part.trim());
    if (!match)
      throw new WeftError('USAGE', `--traffic: expected NAME@VERSION=WEIGHT, got "${part}"`);
    const [, model = '', version = '', weight = '0'] = match;
    policyOf(model).weights.push({ version, weight: Number(weight) });
  }
  if (shadow !== undefined) {
    const match = /^([^@\s]+)@(\S+)$/.exec(shadow);
    if (!match) throw new WeftError('USAGE', `--shadow: expected NAME@VERSION, got "${shadow}"`);
    const [, model = '', version = ''] = match;
    const policy = policyOf(model);
    policy.shadow = version;
  }
  return policies;
}
