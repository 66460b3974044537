// Shared types of the `.song` core. Everything is plain data: no classes, no editor types.
// Positions are 0-based and count UTF-16 code units, exactly like VS Code's.

/** A place in the document: 0-based line, 0-based UTF-16 column. */
export interface Position {
  line: number;
  character: number;
}

/** A half-open span of the document; `end` may equal `start` (an empty range). */
export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** One replacement of a range by new text (an insertion when the range is empty). */
export interface TextEdit {
  range: Range;
  newText: string;
}

/** A quick fix: a titled set of edits applied together. */
export interface SongFix {
  title: string;
  edits: TextEdit[];
  isPreferred?: boolean;
}

export interface SongDiagnostic {
  severity: Severity;
  /** A stable kebab-case code (see LINT_CODES); lints can be disabled by it. */
  code: string;
  message: string;
  range: Range;
  fixes?: SongFix[];
  /** Only on `more-diagnostics`: how many diagnostics were found but not listed, by severity. */
  notListed?: Record<Severity, number>;
}

// ---------------------------------------------------------------------------------------------
// Parameters

export type TimeSignature = '2' | '3' | '4' | '6';
export type TaskType = 'text2music' | 'repaint' | 'cover' | 'extract' | 'lego' | 'complete';
export type AudioFormat = 'mp3' | 'wav' | 'flac' | 'opus' | 'aac' | 'wav32';
export type InferMethod = 'ode' | 'sde';

/**
 * The frontmatter after validation and normalisation, under canonical key names.
 * A key is present only when it was written with a valid value. `'auto'` means "let the model decide".
 */
export interface SongParams {
  title?: string;
  caption?: string;
  duration?: number | 'auto';
  bpm?: number | 'auto';
  key?: string | 'auto';
  time_signature?: TimeSignature | 'auto';
  language?: string;
  instrumental?: boolean;
  thinking?: boolean;
  batch_size?: number;
  audio_format?: AudioFormat;
  seed?: number;
  inference_steps?: number;
  guidance_scale?: number;
  model?: string;
  task_type?: TaskType;
  src_audio?: string;
  reference_audio?: string;
  repainting_start?: number;
  repainting_end?: number;
  audio_cover_strength?: number;
  /** extract, lego: one of ACE-Step's track names. */
  track?: string;
  /** complete: ACE-Step's track names. */
  tracks?: string[];
  /** An instruction sent as is instead of the task's own. */
  instruction?: string;
  use_format?: boolean;
  lm_temperature?: number;
  lm_cfg_scale?: number;
  lm_top_p?: number;
  lm_top_k?: number;
  lm_negative_prompt?: string;
  lm_repetition_penalty?: number;
  use_cot_caption?: boolean;
  use_cot_language?: boolean;
  constrained_decoding?: boolean;
  infer_method?: InferMethod;
  shift?: number;
  use_adg?: boolean;
  cfg_interval_start?: number;
  cfg_interval_end?: number;
  use_tiled_decode?: boolean;
  /** A style adapter on the server: `path[ @ scale]` (see lora.ts). */
  lora?: string;
  /** The server profile (`acestep.servers`) the song must render on; never sent to a server. */
  server?: string;
}

export type ParamKey = keyof SongParams;

/** What is wrong with one frontmatter value, found while parsing; lintSong reports it. */
export interface ValueIssue {
  code: string;
  severity: Severity;
  message: string;
  /** Replacement text for the value's source range, when there is an obvious right spelling. */
  replacement?: string;
  replacementTitle?: string;
}

/** One `key: value` pair of the frontmatter, as written. */
export interface FrontmatterEntry {
  /** The key exactly as written. */
  key: string;
  /** The canonical key it stands for (itself, or the target of an alias); null when unknown. */
  canonical: ParamKey | null;
  /** True when `key` is a server alias of `canonical`. */
  isAlias: boolean;
  keyRange: Range;
  /** The value's source range (empty, right after the colon, when the value is missing). */
  valueRange: Range;
  /** The value's source text. */
  rawText: string;
  /** The value as YAML gave it (string, number, boolean, null, array, object). */
  raw: unknown;
  /** The validated, normalised value; undefined when invalid, empty or the key is unknown. */
  value: unknown;
  issue?: ValueIssue;
  /** True when an earlier entry already set the same canonical key (this one wins, like YAML). */
  duplicate: boolean;
}

export interface YamlProblem {
  message: string;
  range: Range;
}

export interface Frontmatter {
  /** From the opening `---` to the closing `---` (or the end of the guessed region when unclosed). */
  range: Range;
  openLine: number;
  /** Line of the closing `---`; null when it is missing. */
  closeLine: number | null;
  /** First and last line of the YAML text (last < first when empty). */
  contentStartLine: number;
  contentEndLine: number;
  entries: FrontmatterEntry[];
  errors: YamlProblem[];
  /** False when the YAML is not a key/value mapping (a list, a scalar...). */
  isMapping: boolean;
}

// ---------------------------------------------------------------------------------------------
// Body

export type LineKind = 'lyric' | 'backing' | 'uppercase' | 'tag' | 'comment' | 'blank';

/** How a section is treated by the duration estimate. */
export type SectionCategory = 'vocal' | 'intro' | 'outro' | 'instrumental' | 'silence' | 'unknown';

export interface SongLine {
  line: number;
  kind: LineKind;
  /** The line's text with surrounding whitespace removed. */
  text: string;
  range: Range;
  /** Sung syllables, not counting parenthesised backing parts (lyric and uppercase lines only). */
  syllables?: number;
}

/** A `[...]` tag as written: `[Verse 2 - whispered, soft]`. */
export interface TagInfo {
  /** Everything between the brackets, trimmed. */
  inner: string;
  /** The head before ` - `, without its number: `Verse`. */
  head: string;
  number?: number;
  modifiers: string[];
  /** Range of the whole `[...]`. */
  range: Range;
  /** Range of `head` (without number) inside the tag. */
  headRange: Range;
  /** Range of the modifier part after the separator; undefined when there is none. */
  modifiersRange?: Range;
  /** False when the closing `]` is missing. */
  closed: boolean;
}

export interface Section {
  /** The tag's inner text (`Verse 1 - aggressive`); `''` for lines before the first tag. */
  name: string;
  /** The canonical section name when known (`Pre-Chorus`), else the head as written. */
  baseName: string;
  number?: number;
  modifiers: string[];
  known: boolean;
  category: SectionCategory;
  tag?: TagInfo;
  /** From the tag (or first line) to the last non-blank line of the section. */
  range: Range;
  /** Lines after the tag, up to the next section tag. */
  lines: SongLine[];
}

export interface ParsedSong {
  /** The source lines, without terminators. */
  lines: string[];
  hasBom: boolean;
  frontmatter: Frontmatter | null;
  /** First line of the body (after the frontmatter). Equals lines.length when there is no body. */
  bodyStartLine: number;
  params: SongParams;
  sections: Section[];
  /** The body as it will be submitted: comment lines dropped, each line trimmed, runs of blank lines
   *  collapsed to one, leading and trailing blank lines removed. */
  lyrics: string;
  /** True when the song is generated without vocals. */
  instrumental: boolean;
  /** Count of sung lines (lyric, uppercase, backing). */
  sungLineCount: number;
  /** Performance tags on their own line (`[whispered]`, `[building energy]`): bracket lines that do
   *  not start a section. Every other bracket line starts a section, known or not. */
  tags: { line: number; tag: TagInfo }[];
}

// ---------------------------------------------------------------------------------------------
// Estimate

export interface SectionEstimate {
  name: string;
  seconds: number;
  min: number;
  max: number;
  range: Range;
}

export interface DurationEstimate {
  /** Recommended duration, rounded to 5 s and clamped to 10–600. */
  seconds: number;
  min: number;
  max: number;
  sections: SectionEstimate[];
}
