/**
 * XML text and attribute escaping shared by the JUnit report and the SVG plots. Gate strings,
 * class names and feature names come from user files, so anything may be in them.
 */

/** Everything XML 1.0 cannot carry at all, not even as a character reference (§2.2 Char). */
const NOT_XML_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Drops control characters, lone surrogates and U+FFFE/U+FFFF, which no XML parser accepts. */
export function removeNonXmlChars(text: string): string {
  return text.replace(NOT_XML_CHAR, '');
}

/** Escapes character data; `>` too, so `]]>` never appears in the output. */
export function escapeXmlText(text: string): string {
  return removeNonXmlChars(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes a double-quoted attribute value. Tabs and line breaks become character references
 * because attribute-value normalisation would otherwise turn them into spaces.
 */
export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text)
    .replace(/"/g, '&quot;')
    .replace(/\t/g, '&#9;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;');
}

export type XmlAttributes = Record<string, string | number | undefined>;

/**
 * One element. `content` is serialised XML (already escaped); without it the element is
 * self-closing. Attributes that are undefined are left out; the rest keep their order.
 */
export function xmlElement(name: string, attributes: XmlAttributes, content?: string): string {
  const attributeText = Object.entries(attributes)
    .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
    .map(([key, value]) => ` ${key}="${escapeXmlAttribute(String(value))}"`)
    .join('');
  return content === undefined
    ? `<${name}${attributeText}/>`
    : `<${name}${attributeText}>${content}</${name}>`;
}
