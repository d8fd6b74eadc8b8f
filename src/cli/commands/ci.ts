import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openStore, withMetadata } from '../../app/open.js';
import { readCiEnvironment, type CiEnvironment } from '../../ci/ci-environment.js';
import { describeCiError, splitMarker, type CiPost, type CiPoster } from '../../ci/ci-post.js';
import type { CiVerdict } from '../../ci/ci-verdict.js';
import type { CiResult } from '../../ci/run-ci.js';
import { WeftError } from '../../core/errors.js';
import { describeWorkspace } from '../../source/git.js';
import { resolveActor, resolveCommandConfig } from '../context.js';
import { describeForUser, EXIT, exitCodeFor } from '../exit-codes.js';
import { printJson } from '../output.js';
import { createRunRenderer } from '../progress.js';

interface CiFlags {
  base?: string;
  out: string;
  run: boolean;
  post?: boolean;
  pr?: string;
  jobs?: string;
  quiet?: boolean;
  json?: boolean;
}

/** Where `weft ci --post` sends its result; unset, to the Git host the environment names. */
export interface CiCommandHooks {
  post?: CiPoster;
}

/** A gate or a stage failed: 1, as for weft run and weft validate; a broken deploy file is input to fix: 2. */
const VERDICT_EXIT: Record<CiVerdict, number> = {
  passed: EXIT.ok,
  'gates-failed': EXIT.failed,
  'pipeline-failed': EXIT.failed,
  'invalid-deployments': EXIT.invalidInput,
};

export function registerCi(program: Command, hooks: CiCommandHooks = {}): void {
  program
    .command('ci')
    .description(
      'for CI: run the pipeline, validate the model against its gates, preview what merging does to deploy/, write the reports and print the PR comment (exit 1 when a gate or stage fails)',
    )
    .option(
      '--base <rev>',
      "revision to compare deploy/ with (default: the merge-base with the PR's target branch or origin's default branch, else HEAD~1)",
    )
    .option(
      '-o, --out <dir>',
      'where report.md, report.json, junit.xml and ci.json go',
      'weft-report',
    )
    .option('--no-run', 'do not run the pipeline: validate the version weft.lock records')
    .option('--post', 'post the comment and the commit status to the Git host')
    .option('--pr <number>', 'pull request to comment on (default: from the CI environment)')
    .option('-j, --jobs <n>', 'stages to run at once (default: number of cores)')
    .option('-q, --quiet', 'do not stream stage output')
    .option('--json', 'print ci.json instead of the Markdown comment')
    .action(async (flags: CiFlags, command: Command) => {
      const config = resolveCommandConfig(command, flags);
      const poster = flags.post ? await requirePoster(hooks, config.root) : undefined;
      const environment = readCiEnvironment(process.env);
      const pullRequest = flags.pr ? parsePullRequest(flags.pr) : environment.pullRequest;
      let run: Awaited<ReturnType<typeof runCiCommand>>;
      try {
        run = await runCiCommand(config, flags, environment);
      } catch (error) {
        // No verdict: the commit still gets a status saying weft ci could not finish.
        if (poster) await postError(poster, config.root, error, pullRequest);
        throw error;
      }
      const { result, summary, interrupted } = run;
      const exitCode = interrupted ? EXIT.interrupted : VERDICT_EXIT[result.verdict];
      process.exitCode = exitCode;
      if (flags.json) printJson(summary);
      else process.stdout.write(result.markdown);
      process.stderr.write(
        `weft ci: ${result.passed ? 'passed' : 'FAILED'}: ${result.description} (exit ${exitCode}); reports in ${flags.out}\n`,
      );
      await poster?.(toPost(result, exitCode, pullRequest));
    });
}

async function runCiCommand(
  config: ReturnType<typeof resolveCommandConfig>,
  flags: CiFlags,
  environment: CiEnvironment,
): Promise<{ result: CiResult; summary: unknown; interrupted: boolean }> {
  const store = await openStore(config);
  // ONNX Runtime (validation) loads only for the commands that run a model.
  const { runCi, summarizeCi } = await import('../../ci/run-ci.js');
  const renderer = createRunRenderer({ out: process.stderr, quiet: flags.quiet === true });
  const abort = new AbortController();
  const interrupt = (): void => abort.abort();
  process.on('SIGINT', interrupt).on('SIGTERM', interrupt);
  try {
    const result = await withMetadata(config, async (metadata) =>
      runCi({
        root: config.root,
        weftDir: config.weftDir,
        store,
        metadata,
        jobs: config.jobs,
        actor: await resolveActor(config),
        reporter: renderer,
        signal: abort.signal,
        run: flags.run,
        outDir: resolve(config.root, flags.out),
        ...(flags.base === undefined ? {} : { base: flags.base }),
        ...(environment.targetBranch ? { targetBranch: environment.targetBranch.name } : {}),
      }),
    );
    return { result, summary: summarizeCi(result), interrupted: abort.signal.aborted };
  } finally {
    renderer.close();
    process.off('SIGINT', interrupt).off('SIGTERM', interrupt);
  }
}

async function requirePoster(hooks: CiCommandHooks, root: string): Promise<CiPoster> {
  if (hooks.post) return hooks.post;
  const { createGitHostPoster } = await import('../../ci/post-to-git-host.js');
  return await createGitHostPoster(process.env, root);
}

function parsePullRequest(text: string): CiPost['pullRequest'] {
  if (!/^[1-9]\d*$/.test(text)) {
    throw new WeftError(
      'USAGE',
      `failed to read --pr: expected a pull request number, got "${text}"`,
    );
  }
  return { number: Number(text), source: '--pr' };
}

function toPost(result: CiResult, exitCode: number, pullRequest: CiPost['pullRequest']): CiPost {
  return {
    markdown: result.markdown,
    marker: result.marker,
    ...splitMarker(result.markdown),
    exitCode,
    statusState: result.passed ? 'success' : 'failure',
    statusDescription: result.description,
    commit: result.head.commit,
    pullRequest,
  };
}

/** A failure to post is told, and the original error is what weft ci ends with. */
async function postError(
  poster: CiPoster,
  root: string,
  error: unknown,
  pullRequest: CiPost['pullRequest'],
): Promise<void> {
  const { commit } = await describeWorkspace(root);
  const post = describeCiError({
    message: describeForUser(error),
    exitCode: exitCodeFor(error),
    commit,
    pullRequest,
  });
  await poster(post).catch((postError: unknown) =>
    process.stderr.write(`${describeForUser(postError)} (while posting the error status)\n`),
  );
}
