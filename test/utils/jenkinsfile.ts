/**
 * A structural reading of a declarative Jenkinsfile, for tests: comments and string contents
 * are blanked out, braces are matched, and the `stage('…') { … }` blocks directly inside
 * `pipeline { stages { … } }` are listed with their bodies. It is not Groovy: it proves the
 * file's block structure and which stages it declares, not that Jenkins would accept every step.
 */
export interface DeclaredStage {
  name: string;
  /** The stage's block, as written (comments included), without its outer braces. */
  body: string;
}

export function readDeclaredStages(text: string): DeclaredStage[] {
  const code = blankCommentsAndStrings(text);
  const pipeline = findBlock(code, /\bpipeline\s*\{/g, 0, code.length);
  if (!pipeline) throw new Error('no `pipeline { }` block');
  const stages = findBlock(code, /\bstages\s*\{/g, pipeline.start, pipeline.end);
  if (!stages) throw new Error('no `stages { }` block inside pipeline');
  const found: DeclaredStage[] = [];
  const stagePattern = /\bstage\s*\(\s*(['"])/g;
  for (let at = stages.start; ;) {
    stagePattern.lastIndex = at;
    const match = stagePattern.exec(code);
    if (!match || match.index >= stages.end) return found;
    // The name sits inside the quotes, which were blanked in `code`; read it from the text.
    const quote = match[1] ?? "'";
    const nameStart = match.index + match[0].length;
    const nameEnd = text.indexOf(quote, nameStart);
    const block = findBlock(code, /\)\s*\{/g, nameEnd, stages.end);
    if (nameEnd < 0 || !block) throw new Error(`stage at offset ${match.index} has no block`);
    found.push({ name: text.slice(nameStart, nameEnd), body: text.slice(block.start, block.end) });
    at = block.end + 1;
  }
}

/** The first block opened by `opener` within [from, to): the offsets just inside its braces. */
function findBlock(
  code: string,
  opener: RegExp,
  from: number,
  to: number,
): { start: number; end: number } | undefined {
  opener.lastIndex = from;
  const match = opener.exec(code);
  if (!match || match.index >= to) return undefined;
  const start = match.index + match[0].length;
  let depth = 1;
  for (let i = start; i < to; i++) {
    if (code[i] === '{') depth += 1;
    else if (code[i] === '}' && --depth === 0) return { start, end: i };
  }
  throw new Error(`unbalanced braces: the block at offset ${match.index} is never closed`);
}

/**
 * Replaces the contents of comments and of '…', "…" and '''…''' strings with spaces (quotes
 * kept), so braces and keywords inside them do not count. Offsets stay the same.
 */
export function blankCommentsAndStrings(text: string): string {
  let out = '';
  for (let i = 0; i < text.length;) {
    const rest = text.slice(i, i + 3);
    if (rest.startsWith('//')) {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      out += ' '.repeat(stop - i);
      i = stop;
    } else if (rest.startsWith('/*')) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new Error(`unclosed comment at offset ${i}`);
      out += blank(text.slice(i, end + 2));
      i = end + 2;
    } else if (rest === "'''" || rest === '"""') {
      const end = text.indexOf(rest, i + 3);
      if (end < 0) throw new Error(`unclosed string at offset ${i}`);
      out += `${rest}${blank(text.slice(i + 3, end))}${rest}`;
      i = end + 3;
    } else if (text[i] === "'" || text[i] === '"') {
      const end = findStringEnd(text, i);
      out += `${text[i]}${blank(text.slice(i + 1, end))}${text[i]}`;
      i = end + 1;
    } else {
      out += text[i];
      i += 1;
    }
  }
  return out;
}

function findStringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    if (text[i] === '\\') i += 1;
    else if (text[i] === text[open]) return i;
    else if (text[i] === '\n') break;
  }
  throw new Error(`unclosed string at offset ${open}`);
}

/** Spaces for every character but newlines, so line numbers survive. */
function blank(text: string): string {
  return text.replace(/[^\n]/g, ' ');
}
