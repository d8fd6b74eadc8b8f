import { describe, expect, it } from 'vitest';
import { escapeXmlAttribute, escapeXmlText, removeNonXmlChars, xmlElement } from './xml.js';

describe('XML escaping', () => {
  it('drops control characters, lone surrogates and noncharacters but keeps tabs, breaks and emoji', () => {
    expect(removeNonXmlChars('a\u0000b\u0008c\u001fd\t\n\re\uD800f\uDFFFg\uFFFEh\uFFFF😀')).toBe(
      'abcd\t\n\refgh😀',
    );
  });

  it('escapes markup in text, including the > of a CDATA end', () => {
    expect(escapeXmlText('<a> & ]]>')).toBe('&lt;a&gt; &amp; ]]&gt;');
  });

  it('escapes quotes and keeps whitespace in attributes as character references', () => {
    expect(escapeXmlAttribute('say "hi"\tthen\nbye\r')).toBe(
      'say &quot;hi&quot;&#9;then&#10;bye&#13;',
    );
  });

  it('writes elements with attributes in order, skipping undefined ones', () => {
    expect(xmlElement('a', { x: 1, y: undefined, z: '"' })).toBe('<a x="1" z="&quot;"/>');
    expect(xmlElement('a', {}, 'text')).toBe('<a>text</a>');
  });
});
