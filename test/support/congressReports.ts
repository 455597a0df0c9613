/** A valid congress result for tests: a branch of about 20 with an election; override what a test needs. */
import type { CongressReport } from '../../src/domain/congress/report.js';

export function congressReport(over: Partial<CongressReport> = {}): CongressReport {
  return {
    date: '2025-09-12',
    format: 'bau_cu',
    summoned: 20,
    present: 19,
    elected: 5,
    reElected: 3,
    women: 2,
    young: 1,
    minority: 0,
    secretaryDirect: true,
    secretaryIsHead: 'co',
    deputy: 'co',
    ...over,
  };
}
