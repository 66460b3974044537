// Serialises values the way ACE-Step's Python server does, so the fake answers byte for byte:
// - `pyDumps(v)`        == json.dumps(v, ensure_ascii=False)            (", " and ": " separators)
// - `pyDumps(v, true)`  == FastAPI's JSONResponse body                  ("," and ":" separators)
// JavaScript has one number type; values Python holds as floats are wrapped in `PyFloat`
// so they print as `5.0`, `0.25`, `1e-05` like Python's repr.

export class PyFloat {
  constructor(readonly value: number) {}
}

export const f = (value: number): PyFloat => new PyFloat(value);

/** Python's repr() of a float. */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const negative = x < 0;
  const [mantissa, expText] = Math.abs(x).toExponential().split('e');
  const exp = Number(expText);
  const digits = mantissa.replace('.', '');
  let out: string;
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
      const frac = digits.slice(exp + 1);
      out = `${intPart}.${frac || '0'}`;
    } else {
      out = `0.${'0'.repeat(-exp - 1)}${digits}`;
    }
  } else {
    const rest = digits.slice(1);
    const e = Math.abs(exp).toString().padStart(2, '0');
    out = `${digits[0]}${rest ? '.' + rest : ''}e${exp < 0 ? '-' : '+'}${e}`;
  }
  return negative ? '-' + out : out;
}

export function pyDumps(value: unknown, compact = false): string {
  const comma = compact ? ',' : ', ';
  const colon = compact ? ':' : ': ';
  const walk = (v: unknown): string => {
    if (v === null || v === undefined) return 'null';
    if (v instanceof PyFloat) return pyFloatRepr(v.value);
    switch (typeof v) {
      case 'boolean': return v ? 'true' : 'false';
      case 'number':
        // Python ints print as digits; a non-integral JS number can only have come from a float.
        return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
      case 'string': return JSON.stringify(v);
      case 'object':
        if (Array.isArray(v)) return `[${v.map(walk).join(comma)}]`;
        return `{${Object.entries(v as Record<string, unknown>)
          .filter(([, x]) => x !== undefined)
          .map(([k, x]) => JSON.stringify(k) + colon + walk(x))
          .join(comma)}}`;
      default: return 'null';
    }
  };
  return walk(value);
}
