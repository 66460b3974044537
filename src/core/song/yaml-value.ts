// One YAML value on one line, as the `yaml` library writes it: quoted where it has to be, line breaks escaped.
// Never a block scalar: its continuation lines are unindented when spliced into a song, and a line that reads
// `key: value` would become a key of its own.
import { Document, type ToStringOptions } from 'yaml';

export type YamlValue = string | number | boolean;

const ONE_LINE: ToStringOptions = {
  lineWidth: 0, minContentWidth: 0, blockQuote: false, singleQuote: false, doubleQuotedMinMultiLineLength: Number.POSITIVE_INFINITY,
};

/** `value` as YAML on one line. */
export function yamlValue(value: YamlValue): string {
  return oneLine(new Document(value).toString(ONE_LINE));
}

/** `key: value` as YAML on one line. */
export function yamlPair(key: string, value: YamlValue): string {
  const doc = new Document();
  doc.set(key, value);
  return oneLine(doc.toString(ONE_LINE));
}

function oneLine(rendered: string): string {
  const out = rendered.replace(/\n$/, '');
  if (/[\r\n]/.test(out)) throw new Error(`yaml wrote a value on several lines: ${JSON.stringify(out.slice(0, 80))}`);
  return out;
}
