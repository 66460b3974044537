// Turns a failed docker / compose command into what happened and what to do next, in plain words,
// keeping the tool's own last lines for the log. Also turns compose and container log lines into
// short live progress text. Escapes and control characters go through the one stripControl (server-text.ts).
import { stripControl } from '../util/server-text';

export type DockerProblemKind =
  | 'docker-missing'
  | 'compose-missing'
  | 'engine-not-running'
  | 'permission-denied'
  | 'no-compose-file'
  | 'invalid-compose-file'
  | 'env-file-missing'
  | 'no-acestep-service'
  | 'port-in-use'
  | 'nvidia-runtime-missing'
  | 'pull-failed'
  | 'build-failed'
  | 'unknown';

export interface DockerProblem {
  kind: DockerProblemKind;
  /** What happened, one sentence. */
  message: string;
  /** What the user can do about it. */
  nextStep: string;
  /** The tool's own last lines (may be empty). */
  detail: string;
}

/** What a command left behind: the subset of a run result the classifier reads. */
export interface FailedRun {
  code?: number;
  stdout?: string;
  stderr?: string;
  /** errno code when the program could not be started at all (ENOENT, EACCES). */
  spawnError?: string;
}

export interface ClassifyContext {
  /** Folder of the compose project, for messages. */
  composeDir?: string;
  /** Program that was run, for messages. */
  program?: string;
  /** Where the next step is read: the editor (its commands) or a terminal (the CLI's flags). */
  surface?: 'editor' | 'terminal';
}

export class DockerError extends Error {
  constructor(readonly problem: DockerProblem) {
    super(problem.message);
    this.name = 'DockerError';
  }
}


/** The last `max` non-empty lines of a command's output, stderr first choice. */
export function lastLines(run: FailedRun, max = 12): string {
  const pick = (run.stderr ?? '').trim() ? run.stderr! : run.stdout ?? '';
  return pick.split(/\r?\n|\r/).map(l => stripControl(l).trimEnd()).filter(Boolean).slice(-max).join('\n');
}

interface Rule {
  kind: DockerProblemKind;
  test: RegExp;
  message: (m: RegExpExecArray, ctx: ClassifyContext) => string;
  nextStep: (m: RegExpExecArray, ctx: ClassifyContext) => string;
}

const portOf = (text: string): string | undefined =>
  /(?:Bind for|listen tcp[46]?|exposing port TCP)\s+\[?[\w.:]*?\]?:(\d+)/i.exec(text)?.[1] ?? /:(\d{2,5})\b[^\n]*(?:already allocated|address already in use)/i.exec(text)?.[1];

const RULES: Rule[] = [
  {
    kind: 'permission-denied',
    // compose v1 (Python) ends a traceback with "Error while fetching server API version: (…, PermissionError(13, …))"
    test: /permission denied[^\n]*docker(?:\.sock|_engine)|docker(?:\.sock|_engine)[^\n]*permission denied|Got permission denied while trying to connect|server API version:[^\n]*PermissionError/i,
    message: () => 'You are not allowed to talk to the Docker engine (permission denied on the Docker socket).',
    nextStep: () => 'Add your user to the docker group (sudo usermod -aG docker $USER), log out and back in, then try again.',
  },
  {
    kind: 'engine-not-running',
    // compose v1: "Couldn't connect to Docker daemon…", or a traceback ending in "Error while fetching server API
    // version: ('Connection aborted.', FileNotFoundError(2, …))" (the socket is missing) or ConnectionRefusedError
    test: /Cannot connect to the Docker daemon|Is the docker daemon running|error during connect|docker_engine[^\n]*(?:cannot find the file|not found)|dockerDesktopLinuxEngine|failed to connect to the docker API|Couldn't connect to Docker daemon|server API version:[^\n]*(?:FileNotFoundError|ConnectionRefusedError)/i,
    message: () => 'The Docker engine is not running.',
    nextStep: () => 'Start Docker Desktop (or the docker service: sudo systemctl start docker), wait until it is ready, then try again.',
  },
  {
    kind: 'no-compose-file',
    test: /no configuration file provided|Can't find a suitable configuration file|no such file or directory[^\n]*compose\.ya?ml/i,
    message: (_m, c) => `No compose file was found${c.composeDir ? ` in ${c.composeDir}` : ''}.`,
    nextStep: (_m, ctx) => ctx.surface === 'terminal'
      ? 'Run this in the folder of your ACE-Step Docker setup, or pass --compose-dir DIR (or set ACESTEP_COMPOSE_DIR).'
      : 'Point the extension at the folder of your ACE-Step Docker setup, or create one with "ACE-Step: Create Docker Setup".',
  },
  {
    kind: 'env-file-missing',
    test: /env file [^\n]*not found|Couldn't find env file/i,
    message: () => 'The compose file reads settings from .env, but that file does not exist.',
    nextStep: () => 'Create .env next to the compose file (copy .env.example), then try again.',
  },
  {
    kind: 'no-acestep-service',
    test: /no such service:?\s*"?acestep|No such service: acestep/i,
    message: () => 'The compose file has no service named "acestep".',
    nextStep: (_m, ctx) => ctx.surface === 'terminal'
      ? 'acestep-song drives the service "acestep": rename your service, or pass --compose-dir with the folder of an ACE-Step setup.'
      : 'The extension drives the service "acestep": rename your service, or create a setup with "ACE-Step: Create Docker Setup".',
  },
  {
    kind: 'nvidia-runtime-missing',
    test: /could not select device driver "?nvidia"?|nvidia-container-cli|unknown or invalid runtime name:\s*nvidia|nvidia-container-runtime[^\n]*(?:not found|no such file)/i,
    message: () => 'Docker cannot give the container your NVIDIA GPU: the NVIDIA Container Toolkit is missing or not set up.',
    nextStep: () =>
      'Install the NVIDIA Container Toolkit, run "sudo nvidia-ctk runtime configure --runtime=docker" and restart Docker '
      + '(on Windows: Docker Desktop with the WSL 2 backend and a current NVIDIA driver). Check with: docker run --rm --gpus all ubuntu nvidia-smi',
  },
  {
    kind: 'port-in-use',
    test: /port is already allocated|address already in use|ports are not available|Only one usage of each socket address/i,
    message: m => {
      const port = portOf(m.input);
      return port ? `Port ${port} on this computer is already in use.` : 'A port the server needs is already in use on this computer.';
    },
    nextStep: () => 'Stop whatever uses that port (another ACE-Step container?), or change GRADIO_PORT / API_PORT in .env, then try again.',
  },
  {
    kind: 'pull-failed',
    test: /pull access denied|manifest unknown|manifest for \S+ not found|failed to resolve reference|repository does not exist|toomanyrequests|error pulling image|Error response from daemon: Get "?https?:[^\n]*(?:timeout|no such host)|TLS handshake timeout/i,
    message: () => 'Docker could not download the image.',
    nextStep: () => 'Check the image name in the compose file and your network connection; run "docker login" if the image is private.',
  },
  {
    kind: 'build-failed',
    test: /failed to solve|failed to build|Service '?acestep'? failed to build|executor failed running|ERROR \[[^\]]*\]/i,
    message: () => 'Building the ACE-Step image failed.',
    nextStep: () => 'Read the build output in the log, fix the checkout or the Dockerfile, then start again.',
  },
  {
    kind: 'invalid-compose-file',
    test: /yaml: (?:line \d+|unmarshal)|validating [^\n]*compose|services\.\S+ Additional property|Invalid template|required variable \S+ is missing a value/i,
    message: () => 'Docker Compose cannot read the compose file.',
    nextStep: () => 'Fix the compose file (or the .env values it uses) as the message below says.',
  },
];

export function composeMissingProblem(detail = ''): DockerProblem {
  return {
    kind: 'compose-missing',
    message: 'Docker is installed, but Docker Compose is not (neither "docker compose" nor "docker-compose" works).',
    nextStep: 'Install the Docker Compose plugin (it comes with Docker Desktop), then try again.',
    detail,
  };
}

/** Classifies a failed docker / compose run. */
export function classifyDockerError(run: FailedRun, ctx: ClassifyContext = {}): DockerProblem {
  const detail = lastLines(run);
  const program = ctx.program ?? 'docker';
  if (run.spawnError === 'ENOENT') {
    return {
      kind: 'docker-missing',
      message: `Docker was not found ("${program}" is not installed or not on PATH).`,
      nextStep: 'Install Docker (Docker Desktop, or Docker Engine with the Compose plugin), or set the path to the docker program (ACESTEP_DOCKER for the command line).',
      detail,
    };
  }
  if (run.spawnError === 'EACCES') {
    return {
      kind: 'docker-missing',
      message: `"${program}" exists but cannot be run (permission denied).`,
      nextStep: 'Check the path to the docker program and its permissions.',
      detail,
    };
  }
  const text = stripControl(`${run.stderr ?? ''}\n${run.stdout ?? ''}`);
  if (/'compose' is not a docker command|unknown command:? "?(?:docker )?compose|unknown shorthand flag: 'd' in -d/i.test(text)) {
    return composeMissingProblem(detail);
  }
  for (const rule of RULES) {
    const m = rule.test.exec(text);
    if (m) return { kind: rule.kind, message: rule.message(m, ctx), nextStep: rule.nextStep(m, ctx), detail };
  }
  return {
    kind: 'unknown',
    message: `${program} failed${run.code !== undefined ? ` (exit code ${run.code})` : ''}${detail ? `: ${detail.split('\n').pop()}` : '.'}`,
    nextStep: 'Read the output in the log for details.',
    detail,
  };
}

/** The standard problem of a kind found without running docker (a missing compose file, no acestep service…). */
export function problemFor(kind: Exclude<DockerProblemKind, 'unknown' | 'docker-missing'>, detail = '', ctx: ClassifyContext = {}): DockerProblem {
  if (kind === 'compose-missing') return composeMissingProblem(detail);
  const rule = RULES.find(r => r.kind === kind)!;
  const match = Object.assign([detail], { index: 0, input: detail }) as unknown as RegExpExecArray;
  return { kind, message: rule.message(match, ctx), nextStep: rule.nextStep(match, ctx), detail };
}

// ---- live progress ----------------------------------------------------------------------------

export const PROGRESS = {
  pulling: 'Pulling image…',
  building: 'Building image…',
  starting: 'Starting container…',
  stopping: 'Stopping container…',
  downloading: 'Loading models (first start downloads 10–20 GB)…',
  loading: 'Loading models…',
  serverStarting: 'Starting the ACE-Step server…',
  listening: 'Server is listening, waiting for /health…',
} as const;

const PROGRESS_RULES: Array<[RegExp, string]> = [
  [/^[0-9a-f]{12}\s+(?:Pulling fs layer|Waiting|Downloading|Verifying Checksum|Download complete|Extracting|Pull complete|Already exists)/i, PROGRESS.pulling],
  [/\b(?:Pulling|Pulled)\b|Pulling from |^Digest: sha256:|Status: Downloaded newer image/i, PROGRESS.pulling],
  [/^#\d+ |\[\+\] Building|^\s*Building\b|\bBuilt\b|=> \[/, PROGRESS.building],
  [/\bContainer\s+\S+\s+(?:Stopping|Stopped|Removing|Removed)\b/i, PROGRESS.stopping],
  [/\bContainer\s+\S+\s+(?:Creating|Created|Recreate|Recreated|Starting|Started|Running|Waiting|Healthy)\b|^(?:Creating|Recreating|Starting)\s+\S+\s*\.\.\./i, PROGRESS.starting],
  [/Uvicorn running on|Application startup complete|Running on local URL|Started server process/i, PROGRESS.listening],
  [/first run|download(?:ing)?\b[^\n]*(?:model|checkpoint|weights|GB)|acestep-download|Fetching \d+ files|huggingface|modelscope|\.safetensors|\d+%\|/i, PROGRESS.downloading],
  [/=== Starting |Starting (?:standalone )?(?:REST )?API|Starting Gradio|Launching/i, PROGRESS.serverStarting],
  [/\bload(?:ing|ed)?\b[^\n]*(?:model|DiT|LM|VAE|checkpoint|pipeline|weights)|initializ(?:e|ing)[^\n]*(?:model|service|LLM|DiT|handler)/i, PROGRESS.loading],
];

/**
 * Friendly live text for one compose or container log line, or undefined when the line says nothing useful.
 * Compose's "service-1  | " prefix is ignored.
 */
export function describeProgressLine(line: string): string | undefined {
  const clean = stripControl(line).replace(/^\s*[\w.-]+(?:-\d+)?\s+\|\s?/, '').trim();
  if (!clean) return undefined;
  for (const [re, text] of PROGRESS_RULES) if (re.test(clean)) return text;
  return undefined;
}
