import { join } from 'node:path';
import type { RunReporter } from '../exec/report.js';
import type { MetadataStore } from '../registry/types.js';
import type { GitSource } from '../source/git-source.js';
import { commitOfRevision } from '../source/source-spec.js';
import { readDeployments } from '../spec/deployment-files.js';
import type { ResolvedDeployment } from '../spec/deployment-types.js';
import type { ObjectStore } from '../store/index.js';
import type { GitHostReporter } from '../git-hosts/index.js';
import { buildRevision, type BuildContext } from './build-revision.js';
import { reportCommitStatus } from './commit-status.js';
import { commitFollowBump, findFollowBump } from './follow-bump.js';
import type { ControllerMetrics } from './controller-metrics.js';
import { proposeRevert } from './propose-revert.js';
import { REASONS, removeCondition, setCondition, type Condition } from './conditions.js';
import { readDeploymentStatus, type DeploymentStatus } from './deployment-status.js';
import {
  createControllerEvent,
  TransitionFilter,
  type ControllerEvent,
  type EventDraft,
  type Notifier,
} from './notify/index.js';
import type { LiveServer } from './live-server.js';
import { reconcileDeployment } from './reconcile-deployment.js';
import { toReconcileError } from './reconcile-errors.js';

export interface ControllerLogger {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface ControllerOptions {
  source: GitSource;
  /** Name of the source in statuses and events. */
  sourceName: string;
  metadata: MetadataStore;
  store: ObjectStore;
  server: LiveServer;
  weftDir: string;
  jobs: number;
  reporter: RunReporter;
  logger: ControllerLogger;
  notifier?: Notifier;
  /** Sets a commit status on the Git host when a revision is applied, rolled out or rolled back. */
  commitStatus?: Pick<GitHostReporter, 'setCommitStatus'>;
  /** Publishes each deployment's status as metrics (on the server's `/metrics`). */
  metrics?: ControllerMetrics;
  /** Receives every event emitted (after transition filtering), e.g. to narrate on a terminal. */
  onEvent?: (event: ControllerEvent) => void;
  now?: () => Date;
}

/** The source's own status: what was fetched and built. */
export interface SourceStatus {
  lastFetchedRevision: string | null;
  lastBuiltCommit: string | null;
  conditions: Condition[];
}

/**
 * The reconcile loop of one Git source: fetch -> build (pipeline, register, validate) -> read
 * deploy/*.yaml -> reconcile each ModelDeployment against the live server. One pass at a time;
 * a trigger during a pass runs one more pass after it. Status is written once per object per
 * pass, to the metadata store, so a restarted controller resumes where it was.
 */
export class Controller {
  readonly #options: ControllerOptions;
  readonly #now: () => Date;
  readonly #events = new TransitionFilter();
  readonly #abort = new AbortController();
  #running: Promise<void> | null = null;
  #again = false;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(options: ControllerOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** Runs passes now and then every interval (with jitter) until stop(). */
  start(): void {
    this.trigger('start');
  }

  /** Asks for a pass as soon as possible (a webhook, a start); coalesces with one in flight. */
  trigger(reason: string): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    clearTimeout(this.#timer);
    let requeueAfterMs: number | undefined;
    this.#running = this.reconcileOnce(reason)
      .then((requeue) => {
        requeueAfterMs = requeue;
      })
      .catch((error: unknown) =>
        this.#options.logger.error({ err: error }, 'reconcile pass failed'),
      )
      .finally(() => {
        this.#running = null;
        if (this.#stopped) return;
        if (this.#again) {
          this.#again = false;
          this.trigger('requeued');
          return;
        }
        const delay = Math.min(this.#options.source.nextDelay(), requeueAfterMs ?? Infinity);
        this.#timer = setTimeout(() => this.trigger('interval'), delay);
      });
  }

  /** Stops scheduling, interrupts a running build, and waits for the pass in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#abort.abort();
    await this.#running;
  }

  /** One pass; returns how soon a rollout in progress wants the next one (ms), if sooner than the interval. */
  async reconcileOnce(reason: string): Promise<number | undefined> {
    const { source, metadata, sourceName } = this.#options;
    const previous = readSourceStatus(await metadata.readStatus('GitSource', sourceName));
    const fetched = await this.#fetch(previous);
    const commit = fetched?.commit ?? commitOfRevision(previous.lastFetchedRevision);
    if (!commit) return undefined;
    const revision = fetched?.revision ?? previous.lastFetchedRevision ?? '';
    const status: SourceStatus = { ...previous, lastFetchedRevision: revision };
    this.#options.logger.info({ reason, revision }, 'reconciling');
    if (status.lastBuiltCommit !== commit) {
      const built = await this.#build(commit, revision, status);
      if (built) status.lastBuiltCommit = commit;
    }
    const snapshot = await source.checkout(commit);
    const { deployments, problems } = await readDeployments(snapshot.dir);
    status.conditions = problems.length
      ? setCondition(
          status.conditions,
          {
            type: 'Stalled',
            status: 'True',
            reason: REASONS.invalidSpec,
            message: problems.map((p) => `${p.file}:${p.line}:${p.col}: ${p.message}`).join('; '),
          },
          this.#now(),
        )
      : removeCondition(status.conditions, 'Stalled');
    await metadata.writeStatus('GitSource', sourceName, status, this.#now());
    let requeueAfterMs: number | undefined;
    for (const deployment of deployments) {
      if (await this.#bumpFollowed(deployment, commit, revision)) {
        // Git now names the new version: the next pass (right away) rolls it out.
        this.#again = true;
        continue;
      }
      const before = readDeploymentStatus(
        await metadata.readStatus('ModelDeployment', deployment.name),
      );
      const outcome = await reconcileDeployment(
        {
          metadata,
          server: this.#options.server,
          revision,
          now: this.#now,
        },
        deployment,
        before,
      );
      // Events first, so the rollback is told before the revert that answers it.
      this.#emit(outcome.events);
      if (outcome.events.some((e) => e.type === 'RolledBack') && outcome.status.rolledBack) {
        outcome.status.rolledBack.revert = await this.#proposeRevert(
          deployment.name,
          before.lastAppliedRevision,
          revision,
        );
      }
      const drifted = await this.#alertInputDrift(deployment.name, outcome.status);
      const retrain = drifted && this.#isRetrainDue(deployment, outcome.status);
      if (retrain) outcome.status.lastRetrainAt = this.#now().toISOString();
      await metadata.writeStatus('ModelDeployment', deployment.name, outcome.status, this.#now());
      if (retrain) await this.#retrain(deployment, commit, revision);
      const { strategy } = deployment.spec;
      this.#options.metrics?.observe(
        deployment.name,
        outcome.status,
        strategy.type === 'canary' ? strategy.steps : [],
      );
      if (outcome.requeueAfterMs !== undefined) {
        requeueAfterMs = Math.min(requeueAfterMs ?? Infinity, outcome.requeueAfterMs);
      }
    }
    return requeueAfterMs;
  }

  async #fetch(previous: SourceStatus) {
    const { source, metadata, sourceName } = this.#options;
    try {
      const fetched = await source.fetch();
      if (previous.conditions.some((c) => c.type === 'FetchFailed')) {
        await metadata.writeStatus(
          'GitSource',
          sourceName,
          { ...previous, conditions: removeCondition(previous.conditions, 'FetchFailed') },
          this.#now(),
        );
      }
      return fetched;
    } catch (error) {
      const failure = toReconcileError(error, REASONS.fetchFailed);
      const conditions = setCondition(
        previous.conditions,
        {
          type: 'FetchFailed',
          status: 'True',
          reason: REASONS.fetchFailed,
          message: failure.message,
        },
        this.#now(),
      );
      await metadata.writeStatus('GitSource', sourceName, { ...previous, conditions }, this.#now());
      this.#emit([
        {
          type: 'FetchFailed',
          severity: 'error',
          object: { kind: 'GitSource', name: sourceName },
          reason: REASONS.fetchFailed,
          message: `${failure.message}; the last applied state keeps serving`,
        },
      ]);
      return undefined;
    }
  }

  /** Builds the revision; a failed build is reported on the source and deploys nothing new. */
  async #build(commit: string, revision: string, status: SourceStatus): Promise<boolean> {
    const options = this.#options;
    try {
      const outcome = await buildRevision(this.#buildContext(), commit);
      status.conditions = removeCondition(status.conditions, 'RolloutFailed');
      if (outcome.model) {
        const verdict =
          outcome.gatesPassed === false
            ? `failed its gates (${outcome.failedGates.join('; ')})`
            : outcome.gatesPassed
              ? 'passed its gates'
              : 'has no gates';
        this.#emit([
          {
            type: outcome.gatesPassed === false ? 'GatesFailed' : 'Built',
            severity: outcome.gatesPassed === false ? 'warning' : 'info',
            object: { kind: 'GitSource', name: options.sourceName },
            reason: outcome.gatesPassed === false ? REASONS.gatesFailed : 'Built',
            revision,
            message: `built ${outcome.model.name}@${outcome.model.version} at ${revision}: it ${verdict}`,
          },
        ]);
      }
      return true;
    } catch (error) {
      const failure = toReconcileError(error, REASONS.buildFailed);
      status.conditions = setCondition(
        status.conditions,
        { type: 'RolloutFailed', status: 'True', reason: failure.reason, message: failure.message },
        this.#now(),
      );
      this.#emit([
        {
          type: 'BuildFailed',
          severity: 'error',
          object: { kind: 'GitSource', name: options.sourceName },
          reason: failure.reason,
          revision,
          message: failure.message,
        },
      ]);
      return failure.kind === 'stall';
    }
  }

  /**
   * For a deployment that follows a branch: commits the newest passing version into its file
   * and pushes it, so Git says what runs. True when a bump was pushed.
   */
  async #bumpFollowed(
    deployment: ResolvedDeployment,
    commit: string,
    revision: string,
  ): Promise<boolean> {
    const { source, metadata } = this.#options;
    const object = { kind: 'ModelDeployment', name: deployment.name };
    try {
      const newest = await findFollowBump(metadata, source.repoDir, commit, deployment);
      if (!newest) return false;
      const bump = await commitFollowBump({
        workDir: this.#buildDir(),
        repoDir: source.repoDir,
        url: source.source.url,
        branch: source.source.refName,
        tip: commit,
        deployment,
        version: newest.version,
      });
      if (!bump) return false;
      await metadata.appendAudit({
        at: this.#now(),
        actor: 'controller',
        action: 'deployment.follow',
        object,
        revision,
        before: { ref: deployment.spec.model.ref },
        after: { version: newest.version, ...bump },
      });
      this.#emit([
        {
          type: bump.direct ? 'BumpCommitted' : 'BumpProposed',
          severity: 'info',
          object,
          reason: 'Follow',
          revision,
          message: `${bump.direct ? 'committed' : 'proposed on branch'} ${bump.branch}: ${deployment.file} now deploys ${newest.name}@${newest.version} (${bump.commit.slice(0, 10)}), the newest version that passed its gates on ${deployment.spec.model.follow?.branch ?? ''}`,
        },
      ]);
      return bump.direct;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#emit([
        {
          type: 'BumpFailed',
          severity: 'warning',
          object,
          reason: 'Follow',
          revision,
          message: `could not commit the follow bump: ${message}`,
        },
      ]);
      return false;
    }
  }

  /**
   * Live input drift of the served version over the last hour (KS/PSI, chi-squared/JS, with
   * Evidently's thresholds) against its reference data raises an alert; events are sent on
   * transitions only, so a drift that lasts is told once. True when the inputs drifted.
   */
  async #alertInputDrift(name: string, status: DeploymentStatus): Promise<boolean> {
    const { served } = status;
    if (!served) return false;
    const now = this.#now().getTime();
    const window = { from: now - 60 * 60 * 1000, to: now };
    const { server, logger } = this.#options;
    const evidence = await server
      .evidence(served.model, served.version, window)
      .catch((error: unknown) => {
        logger.warn({ err: error, model: served.model }, 'could not read live input drift');
        return undefined;
      });
    const report = evidence?.inputDrift;
    if (!report) return false;
    const drifted = Object.entries(report.features).filter(([, drift]) => drift.drifted);
    if (drifted.length === 0) return false;
    const features = drifted.map(
      ([feature, drift]) =>
        `${feature} (${drift.method} ${Number(drift.statistic.toPrecision(3))})`,
    );
    this.#emit([
      {
        type: 'InputDrift',
        severity: 'warning',
        object: { kind: 'ModelDeployment', name },
        reason: 'InputDrift',
        message: `live inputs of ${served.model}@${served.version} drifted from the evaluation data over the last hour (${report.sampleSize} sampled rows): ${features.join(', ')}`,
      },
    ]);
    return true;
  }

  #isRetrainDue(deployment: ResolvedDeployment, status: DeploymentStatus): boolean {
    const { retrain } = deployment.spec;
    if (!retrain) return false;
    const last = status.lastRetrainAt ? Date.parse(status.lastRetrainAt) : -Infinity;
    return this.#now().getTime() - last >= retrain.cooldownMs;
  }

  /**
   * A retrain run opened by live drift: the revision's pipeline again with --force, so stages
   * that fetch data fetch it afresh; the model it makes is registered and validated like any
   * build, and reaches serving the usual way (a deployment following the branch bumps to it).
   */
  async #retrain(deployment: ResolvedDeployment, commit: string, revision: string): Promise<void> {
    const options = this.#options;
    const object = { kind: 'ModelDeployment', name: deployment.name };
    await options.metadata.appendAudit({
      at: this.#now(),
      actor: 'controller',
      action: 'deployment.retrain',
      object,
      revision,
      before: { reason: 'InputDrift' },
      after: { commit },
    });
    this.#emit([
      {
        type: 'RetrainStarted',
        severity: 'info',
        object,
        reason: 'InputDrift',
        revision,
        message: `live inputs drifted: re-running the pipeline at ${revision} with --force`,
      },
    ]);
    try {
      const outcome = await buildRevision(this.#buildContext(), commit, { force: true });
      const verdict =
        outcome.gatesPassed === false
          ? `it failed its gates (${outcome.failedGates.join('; ')})`
          : outcome.gatesPassed
            ? 'it passed its gates'
            : 'it has no gates';
      this.#emit([
        {
          type: 'Retrained',
          severity: 'info',
          object,
          reason: 'InputDrift',
          revision,
          message: outcome.model
            ? `retrain built ${outcome.model.name}@${outcome.model.version}: ${verdict}`
            : 'retrain ran; the pipeline declares no model',
        },
      ]);
    } catch (error) {
      const failure = toReconcileError(error, REASONS.buildFailed);
      this.#emit([
        {
          type: 'RetrainFailed',
          severity: 'error',
          object,
          reason: failure.reason,
          revision,
          message: `retrain failed: ${failure.message}`,
        },
      ]);
    }
  }

  /** Pushes a branch reverting what came after the last good revision, and says so. */
  async #proposeRevert(
    name: string,
    goodRevision: string | null,
    badRevision: string,
  ): Promise<{ branch: string; commit: string } | { error: string }> {
    const { source, metadata } = this.#options;
    const object = { kind: 'ModelDeployment', name };
    const [good, bad] = [commitOfRevision(goodRevision), commitOfRevision(badRevision)];
    try {
      if (!good || !bad) throw new Error('no earlier applied revision to go back to');
      const proposal = await proposeRevert({
        workDir: this.#buildDir(),
        repoDir: source.repoDir,
        url: source.source.url,
        goodCommit: good,
        badCommit: bad,
      });
      if (!proposal) throw new Error('the rolled back revision is the last good one');
      await metadata.appendAudit({
        at: this.#now(),
        actor: 'controller',
        action: 'deployment.revert-proposed',
        object,
        revision: badRevision,
        before: { revision: badRevision },
        after: proposal,
      });
      this.#emit([
        {
          type: 'RevertProposed',
          severity: 'warning',
          object,
          reason: 'RolledBack',
          revision: badRevision,
          message: `pushed ${proposal.branch} (${proposal.commit.slice(0, 10)}) reverting to ${goodRevision ?? ''}; merge it so Git stops asking for the rolled back model`,
        },
      ]);
      return proposal;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.#emit([
        {
          type: 'RevertFailed',
          severity: 'error',
          object,
          reason: 'RolledBack',
          revision: badRevision,
          message: `could not propose the revert in Git: ${message}`,
        },
      ]);
      return { error: message };
    }
  }

  #buildContext(): BuildContext {
    const options = this.#options;
    return {
      repoDir: options.source.repoDir,
      buildDir: this.#buildDir(),
      store: options.store,
      metadata: options.metadata,
      jobs: options.jobs,
      reporter: options.reporter,
      signal: this.#abort.signal,
    };
  }

  #buildDir(): string {
    return controllerBuildDir(this.#options.weftDir, this.#options.sourceName);
  }

  #emit(drafts: EventDraft[]): void {
    for (const draft of drafts) {
      const event = createControllerEvent(draft, this.#now());
      if (!this.#events.shouldEmit(event)) continue;
      this.#options.onEvent?.(event);
      // Delivery retries for up to minutes; it must not hold up the next reconcile step.
      void this.#options.notifier?.notify(event);
      const { commitStatus, logger } = this.#options;
      if (commitStatus) void reportCommitStatus(commitStatus, event, logger);
    }
  }
}

/** Where the controller keeps its checkout of a source, built at the revision it last saw. */
export function controllerBuildDir(weftDir: string, sourceName: string): string {
  return join(weftDir, 'controller', 'build', sourceName);
}

function readSourceStatus(stored: unknown): SourceStatus {
  const empty: SourceStatus = { lastFetchedRevision: null, lastBuiltCommit: null, conditions: [] };
  return typeof stored === 'object' && stored !== null
    ? { ...empty, ...(stored as Partial<SourceStatus>) }
    : empty;
}
