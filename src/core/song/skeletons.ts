// The songs "ACE-Step: New Song" offers: the whole-song snippets of snippets/song.json (those with
// "isFileTemplate": true), read from that file itself so the two cannot drift, each also as the plain text it
// inserts. The bundles carry the JSON; the test build copies it beside the transpiled files.
import snippetFile from '../../../snippets/song.json';

export interface SkeletonSnippet {
  /** Stable id: the snippet's first prefix without `song-` (`pop`, `metal`, …). */
  id: string;
  label: string;
  description: string;
  /** The snippet body (VS Code snippet syntax), to insert the song with tab stops. */
  snippet: string;
}

export interface SongSkeleton extends SkeletonSnippet {
  /** The whole song as plain text: the snippet with every tab stop at its default. */
  text: string;
}

type Part = string | { mirror: string };

/**
 * The text a snippet inserts when every tab stop keeps its default: `${1:x}` → x, `${1|a,b|}` → a,
 * `$1` → the text of placeholder 1 (or nothing), `${VAR:x}` → x, `$VAR` → nothing, `\$` → $.
 */
export function resolveSnippet(body: string): string {
  let i = 0;
  const defaults = new Map<string, string>();

  const choiceFirst = (): string => {
    let first = '';
    while (i < body.length && body[i] !== ',' && body[i] !== '|') {
      if (body[i] === '\\' && i + 1 < body.length) { first += body[i + 1]; i += 2; } else first += body[i++];
    }
    const end = body.indexOf('|}', i);
    i = end < 0 ? body.length : end + 2;
    return first;
  };

  // Parses until the end of input or, inside a placeholder, its closing brace.
  const parse = (nested: boolean): Part[] => {
    const parts: Part[] = [];
    let text = '';
    const flush = () => { if (text) { parts.push(text); text = ''; } };
    while (i < body.length) {
      const c = body[i]!;
      if (c === '\\' && i + 1 < body.length && '$}\\'.includes(body[i + 1]!)) { text += body[i + 1]; i += 2; continue; }
      if (nested && c === '}') break;
      if (c === '$') {
        const m = /^\$(?:(\d+)|([A-Za-z_]\w*)|\{(\d+)\}|\{(\d+)\||\{(\d+):|\{([A-Za-z_]\w*)\}|\{([A-Za-z_]\w*):)/.exec(body.slice(i));
        if (m) {
          i += m[0].length;
          flush();
          if (m[1] !== undefined || m[3] !== undefined) parts.push({ mirror: (m[1] ?? m[3])! });
          else if (m[4] !== undefined) { const first = choiceFirst(); defaults.set(m[4], first); parts.push(first); }
          else if (m[5] !== undefined || m[7] !== undefined) {
            const inner = parse(true);
            i++; // the closing brace
            const value = inner.filter((p): p is string => typeof p === 'string').join('');
            if (m[5] !== undefined && !defaults.has(m[5])) defaults.set(m[5], value);
            parts.push(...inner);
          }
          continue; // $VAR and ${VAR}: unknown here, resolved to nothing
        }
      }
      text += c;
      i++;
    }
    flush();
    return parts;
  };

  return parse(false).map(part => (typeof part === 'string' ? part : defaults.get(part.mirror) ?? '')).join('');
}

interface SnippetEntry {
  prefix: string | string[];
  body: string | string[];
  description: string;
  isFileTemplate?: boolean;
}

export const SKELETONS: readonly SongSkeleton[] = Object.entries(snippetFile as Record<string, SnippetEntry>)
  .filter(([, s]) => s.isFileTemplate)
  .map(([name, s]) => {
    const prefix = Array.isArray(s.prefix) ? s.prefix[0]! : s.prefix;
    const snippet = Array.isArray(s.body) ? s.body.join('\n') : s.body;
    return {
      id: prefix.replace(/^song-/, ''),
      label: name.replace(/^Song:\s*/, '').replace(/^./, c => c.toUpperCase()),
      description: s.description,
      snippet,
      text: resolveSnippet(snippet).replace(/\n*$/, '\n'),
    };
  });
