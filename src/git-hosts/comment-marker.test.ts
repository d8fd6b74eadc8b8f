import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitText, markedBody, renderMarker } from './comment-marker.js';

describe('renderMarker', () => {
  it('hides the marker as an HTML comment or a link reference definition', () => {
    expect(renderMarker('weft-report:penguins', 'html-comment')).toBe(
      '<!-- weft-report:penguins -->',
    );
    expect(renderMarker('weft-report:penguins', 'link-reference')).toBe(
      '[//]: # (weft-report:penguins)',
    );
  });

  it.each(['', 'a b', 'x-->y', 'a--b', 'a)b', 'ü'])(
    'refuses %j, which could break out of hiding',
    (marker) => {
      expect(() => renderMarker(marker, 'html-comment')).toThrow(/failed to use comment marker/);
    },
  );
});

describe('markedBody', () => {
  const marker = '<!-- weft-report:m -->';

  it('puts the marker first unless the body holds it', () => {
    expect(markedBody(marker, 'hello', 1000)).toBe(`${marker}\nhello`);
    expect(markedBody(marker, `# Title\n${marker}\nhello`, 1000)).toBe(`# Title\n${marker}\nhello`);
  });

  it('always keeps the marker and the limit, however the body is cut', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 400 }),
        fc.integer({ min: 0, max: 400 }),
        fc.integer({ min: 120, max: 300 }),
        (text, at, max) => {
          const body = text.slice(0, at) + marker + text.slice(at);
          for (const candidate of [body, text]) {
            const out = markedBody(marker, candidate, max);
            expect(out).toContain(marker);
            expect(out.length).toBeLessThanOrEqual(max);
          }
        },
      ),
    );
  });
});

describe('fitText', () => {
  it('never splits an emoji in two', () => {
    const cut = fitText('ab😀cd', 4, '…');
    expect(cut).toBe('ab…');
    expect(() => encodeURIComponent(cut)).not.toThrow();
  });
});
