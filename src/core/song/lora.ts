// The `lora` key of a `.song`: a style adapter on the server (a path on the SERVER's machine, or the name it
// knows it by), with an optional strength: `lora: /loras/city-pop` or `lora: /loras/city-pop @ 0.7`.
import { msg } from '../l10n';

export interface LoraSetting {
  path: string;
  /** 0–1; absent: the server's default (1.0). */
  scale?: number;
}

const SCALE = /^(.*?)\s*@\s*([-+]?\d+(?:\.\d+)?)\s*$/;

/** Reads a `lora` value; an error message instead when it is not one. */
export function parseLora(raw: string): LoraSetting | { error: string } {
  const s = raw.trim();
  const m = SCALE.exec(s);
  const path = (m ? m[1] : s).trim();
  if (!path) return { error: msg('lora needs the adapter\'s path on the server, optionally followed by @ and a scale (e.g. /loras/city-pop @ 0.7)') };
  if (!m) return { path };
  const scale = Number(m[2]);
  if (!(scale >= 0 && scale <= 1)) return { error: msg('the LoRA scale must be between 0 and 1 (got {0})', m[2]) };
  return { path, scale };
}
