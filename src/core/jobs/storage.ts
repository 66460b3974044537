// A JobStorage in memory (CLI, tests); VS Code keeps jobs in its own storage.
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
