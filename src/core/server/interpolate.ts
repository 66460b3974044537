// Variable interpolation the way Docker Compose does it in compose files and in `.env` values:
//   $$ -> a literal $      $NAME, ${NAME} -> the value (empty when unset)
//   ${NAME:-x} x when unset or empty     ${NAME-x} x when unset
//   ${NAME:+x} x when set and non-empty  ${NAME+x} x when set
//   ${NAME:?msg} error when unset or empty, ${NAME?msg} error when unset
// Defaults and alternatives are themselves interpolated. A `$` followed by anything else stays as it is.

export type Lookup = (name: string) => string | undefined;

export class InterpolationError extends Error {
  constructor(message: string, readonly template: string) {
    super(message);
    this.name = 'InterpolationError';
  }
}

const NAME_START = /[_A-Za-z]/;
const NAME_CHAR = /[_A-Za-z0-9]/;

/** Index of the `}` closing the `${` whose body starts at `from`, honouring nested `${…}`; -1 when none. */
function findClosingBrace(text: string, from: number): number {
  let depth = 1;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && text[i + 1] === '$') { i++; continue; }
    if (c === '$' && text[i + 1] === '{') { depth++; i++; continue; }
    if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

function resolveBraced(body: string, lookup: Lookup, template: string): string {
  let n = 0;
  if (!NAME_START.test(body[0] ?? '')) throw new InterpolationError(`Invalid template: "${template}"`, template);
  while (n < body.length && NAME_CHAR.test(body[n]!)) n++;
  const name = body.slice(0, n);
  const rest = body.slice(n);
  const value = lookup(name);
  if (rest === '') return value ?? '';
  const m = /^(:?)([-+?])([\s\S]*)$/.exec(rest);
  if (!m) throw new InterpolationError(`Invalid template: "${template}"`, template);
  const [, colon, op, arg] = m as unknown as [string, string, string, string];
  const present = colon ? value !== undefined && value !== '' : value !== undefined;
  switch (op) {
    case '-': return present ? value! : interpolate(arg, lookup);
    case '+': return present ? interpolate(arg, lookup) : '';
    default: {
      if (present) return value!;
      const reason = interpolate(arg, lookup);
      throw new InterpolationError(
        reason ? `required variable ${name} is missing a value: ${reason}` : `required variable ${name} is missing a value`,
        template,
      );
    }
  }
}

export function interpolate(text: string, lookup: Lookup): string {
  if (!text.includes('$')) return text;
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c !== '$') { out += c; i++; continue; }
    const next = text[i + 1];
    if (next === '$') { out += '$'; i += 2; continue; }
    if (next === '{') {
      const close = findClosingBrace(text, i + 2);
      if (close < 0) throw new InterpolationError(`Invalid template: "${text}"`, text);
      out += resolveBraced(text.slice(i + 2, close), lookup, text);
      i = close + 1;
      continue;
    }
    if (next !== undefined && NAME_START.test(next)) {
      let j = i + 1;
      while (j < text.length && NAME_CHAR.test(text[j]!)) j++;
      out += lookup(text.slice(i + 1, j)) ?? '';
      i = j;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** A lookup over several sources, the first that has the name wins. */
export function chainLookup(...sources: Array<Record<string, string | undefined> | undefined>): Lookup {
  return name => {
    for (const s of sources) {
      const v = s?.[name];
      if (v !== undefined) return v;
    }
    return undefined;
  };
}
