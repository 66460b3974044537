// What server control knows and is told: the options of an operation, a status check's snapshot and the server
// generation should use. Types only, so activation (./index.ts) can name them without loading server control.
import type { AcestepMode, StatusResult } from '../../core/server';

export interface ServerOpOptions {
  /** Ends the operation (the container keeps whatever state it reached). */
  signal?: AbortSignal;
  /** Longest wait for /health (default 30 minutes: the first start downloads the models). */
  timeoutMs?: number;
  /** Wait for /health (default true). */
  wait?: boolean;
  /** Ask before recreating the container (a modal dialog). */
  confirm?: boolean;
  /** Recreate even when the server already runs in that mode. */
  force?: boolean;
  /** No notifications at the end (the caller reports); problems are still logged. */
  quiet?: boolean;
  /** The compose service, in a setup with one service per GPU (acestep-gpu1); the commands ask when it is missing there. */
  service?: string;
}

export interface ServerSnapshot {
  at: number;
  /** Untrusted workspace: docker is never run. */
  restricted?: boolean;
  composeDir?: string;
  /** Why there is no setup folder. */
  missing?: 'none' | 'ambiguous' | 'cancelled';
  /** The folder has no compose file with an `acestep` service. */
  invalid?: boolean;
  status?: StatusResult;
  /** A setup with one service per GPU: each service's state (`status` is the first one's). */
  services?: Array<{ service: string; status: StatusResult }>;
  /** An unexpected failure of the check itself. */
  error?: string;
}

/** The server as generation should see it. */
export interface KnownServer {
  composeDir: string;
  mode: AcestepMode;
  url?: string;
  /** The server answers or is starting in that mode (false: stopped, or not there). */
  running: boolean;
}
