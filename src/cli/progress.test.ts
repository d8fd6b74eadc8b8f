import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createRunRenderer } from './progress.js';

function capture(isTTY: boolean): { out: NodeJS.WriteStream; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  });
  return {
    out: Object.assign(stream, { isTTY }) as unknown as NodeJS.WriteStream,
    text: () => chunks.join(''),
  };
}

describe('createRunRenderer', () => {
  it('prints plain lines prefixed with the stage name when not on a terminal', () => {
    const { out, text } = capture(false);
    const renderer = createRunRenderer({ out, quiet: false });
    renderer.stageStarted('train', 'run', ['param train.lr changed (0.1 -> 0.2)']);
    renderer.stageOutput('train', 'epoch 1', 'stdout');
    renderer.stageStarted('prepare', 'skip', ['up to date']);
    renderer.stageFinished({
      stage: 'train',
      outcome: 'ran',
      reasons: [],
      durationMs: 1500,
      exitCode: 0,
    });
    renderer.close();
    // Colours depend on the environment (CI=1 turns them on); the words must not.
    expect(stripVTControlCharacters(text())).toBe(
      '[train] running: param train.lr changed (0.1 -> 0.2)\n[train] epoch 1\n[train] ran in 1.5s\n',
    );
  });

  it('writes the lines of one event-loop turn in one go', async () => {
    const writes: number[] = [];
    const out = new Writable({
      writev(chunks, done) {
        writes.push(chunks.length);
        done();
      },
    }) as unknown as NodeJS.WriteStream;
    const renderer = createRunRenderer({ out, quiet: false });
    for (const stage of ['a', 'b', 'c']) renderer.stageStarted(stage, 'restore', ['cached']);
    await new Promise((resolve) => setImmediate(resolve));
    renderer.stageStarted('d', 'restore', ['cached']);
    renderer.close();
    expect(writes).toEqual([3, 1]);
  });

  it('keeps a status line with the running stages at the bottom of a terminal', () => {
    const { out, text } = capture(true);
    const renderer = createRunRenderer({ out, quiet: true });
    renderer.stageStarted('train', 'run', ['never run (not in weft.lock)']);
    renderer.stageOutput('train', 'hidden when quiet', 'stdout');
    renderer.close();
    const written = text();
    expect(written).toContain('\r\x1b[2K');
    expect(stripVTControlCharacters(written)).toMatch(/0 done · train \d+ms/);
    expect(written).not.toContain('hidden when quiet');
    expect(written.endsWith('\r\x1b[2K')).toBe(true);
  });
});
