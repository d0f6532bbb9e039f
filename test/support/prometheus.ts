/**
 * Parses a Prometheus text exposition with the Prometheus project's own Python client parser
 * (prometheus_client.parser, Debian's python3-prometheus-client; .ci/system-packages installs
 * it). It refuses what Prometheus would refuse; the JS parsers on npm lose labelled histograms.
 */
import { execFile, spawnSync } from 'node:child_process';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
export interface Family {
  name: string;
  type: string;
  samples: Sample[];
}

const PYTHON = '/usr/bin/python3';

/** Whether the parser is installed: a fresh machine without it skips the tests that need it, saying so. */
export const havePrometheusParser = spawnSync(PYTHON, ['-c', 'import prometheus_client']).status === 0;
if (!havePrometheusParser)
  console.log(
    'metrics: parser tests skipped, python3-prometheus-client is missing (apt-get install python3-prometheus-client)',
  );
const SCRIPT = `
import json, math, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for f in text_string_to_metric_families(sys.stdin.read()):
    out.append({"name": f.name, "type": f.type, "samples": [
        {"name": s.name, "labels": s.labels, "value": None if math.isnan(s.value) else s.value} for s in f.samples]})
print(json.dumps(out))
`;

export function parsePrometheus(text: string): Promise<Family[]> {
  return new Promise((resolve, reject) => {
    const child = execFile(PYTHON, ['-c', SCRIPT], { maxBuffer: 64 * 2 ** 20 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`the Prometheus parser refused the exposition: ${stderr || error.message}`));
      resolve(JSON.parse(stdout) as Family[]);
    });
    child.stdin?.end(text);
  });
}

/** The samples of one family (by its name, or a sample name such as x_count), optionally filtered by labels. */
export function samples(families: Family[], name: string, labels: Record<string, string> = {}): Sample[] {
  return families
    .flatMap((f) => f.samples)
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

export function value(families: Family[], name: string, labels: Record<string, string> = {}): number | undefined {
  const found = samples(families, name, labels);
  return found.length ? found.reduce((sum, s) => sum + s.value, 0) : undefined;
}
