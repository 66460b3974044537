// Two ready-made JobStorage implementations: in memory (CLI, tests) and a JSON file (written atomically).
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from './files';
import type { JobRecord, JobStorage } from './types';

export class MemoryJobStorage implements JobStorage {
  records: JobRecord[];
  saves = 0;
  constructor(initial: JobRecord[] = []) {
    this.records = initial;
  }
  load(): JobRecord[] {
    return JSON.parse(JSON.stringify(this.records)) as JobRecord[];
  }
  async save(records: JobRecord[]): Promise<void> {
    this.saves++;
    this.records = JSON.parse(JSON.stringify(records)) as JobRecord[];
  }
}

export class FileJobStorage implements JobStorage {
  constructor(readonly file: string) {}
  load(): JobRecord[] {
    try {
      const v = JSON.parse(readFileSync(this.file, 'utf8'));
      return Array.isArray(v?.jobs) ? (v.jobs as JobRecord[]) : [];
    } catch {
      return [];
    }
  }
  async save(records: JobRecord[]): Promise<void> {
    await writeFileAtomic(this.file, JSON.stringify({ version: 1, jobs: records }, null, 1));
  }
}
