import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ResolvedStage } from '../spec/types.js';
import { StageLog } from './stage-log.js';
import { runStageProcess } from './stage-process.js';

const VARIABLE = 'WEFT_STAGE_PROCESS_TEST';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'weft-stage-process-'));
});
afterEach(() => {
  delete process.env[VARIABLE];
  rmSync(dir, { recursive: true, force: true });
});

function stage(cmd: string, env: Record<string, string> = {}): ResolvedStage {
  return {
    name: 'train',
    cmd,
    wdir: '.',
    deps: [],
    params: [],
    outs: [],
    metrics: [],
    env,
    alwaysRun: false,
    location: { file: 'weft.yaml', line: 1, col: 1 },
  };
}

async function runForLines(
  cmd: string,
  options: { stageEnv?: Record<string, string>; extraEnv?: Record<string, string> } = {},
): Promise<string[]> {
  const lines: string[] = [];
  const result = await runStageProcess({
    root: dir,
    stage: stage(cmd, options.stageEnv),
    log: new StageLog(join(dir, 'spill.log')),
    extraEnv: options.extraEnv ?? {},
    onLine: (line) => lines.push(line),
    signal: new AbortController().signal,
  });
  expect(result).toEqual({ exitCode: 0, signal: null });
  return lines;
}

describe('runStageProcess', () => {
  it("gives the command weft's environment, then weft's variables, then the stage's", async () => {
    process.env[VARIABLE] = 'weft';
    const lines = await runForLines(`echo "$${VARIABLE} $FROM_WEFT $FROM_STAGE $PATH_SEEN"`, {
      extraEnv: { FROM_WEFT: 'extra', FROM_STAGE: 'extra', PATH_SEEN: 'extra' },
      stageEnv: { FROM_STAGE: 'stage', PATH_SEEN: process.env.PATH ?? '' },
    });
    expect(lines).toEqual([`weft extra stage ${process.env.PATH ?? ''}`]);
  });

  it("sees weft's environment as it is at each run", async () => {
    const echo = `echo "\${${VARIABLE}-unset}"`;
    process.env[VARIABLE] = 'first';
    expect(await runForLines(echo)).toEqual(['first']);
    process.env[VARIABLE] = 'second';
    expect(await runForLines(echo)).toEqual(['second']);
    delete process.env[VARIABLE];
    expect(await runForLines(echo)).toEqual(['unset']);
  });
});
