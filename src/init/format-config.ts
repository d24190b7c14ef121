/** The starter config as YAML, with the schema line for editors and short comments saying where each part came from. */
import { Document, isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { buildConfig } from './build-config.js';
import type { Detection } from './types.js';

export const SCHEMA_COMMENT = ' yaml-language-server: $schema=./node_modules/opsbook/opsbook.schema.json';

const SECTION_COMMENTS: Record<string, string> = {
  environments:
    ' Add staging, preview or development as needed; services.<name>.overrides changes a service per environment.',
  services: ' Everything that runs or that the stack depends on.',
  gates: " The pre-deploy checklist that 'opsbook check' runs.",
  channels: ' Where announcements and alerts go: add slack, webhook, email or pagerduty channels.',
};

/** Short maps and lists read best on one line. */
function compact(node: unknown): void {
  const nested = (v: unknown) => (isMap(v) || isSeq(v)) && !v.flow;
  if (isMap(node) && !node.items.some((p) => nested(p.value))) node.flow = true;
  if (isSeq(node) && !node.items.some(nested)) node.flow = true;
}

function commentKey(map: unknown, key: string, comment: string): void {
  if (!isMap(map)) return;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === key);
  if (pair && isScalar(pair.key)) pair.key.commentBefore = comment;
}

export function formatConfig(d: Detection): string {
  const doc = new Document(buildConfig(d));
  const from = d.sources.length ? d.sources.join(', ') : 'no platform files';
  doc.commentBefore = `${SCHEMA_COMMENT}\n Written by 'opsbook init' from ${from}.\n Review it, then run 'opsbook validate' and 'opsbook check'.`;
  const root = doc.contents as YAMLMap<Node, Node>;
  root.items.forEach((pair, i) => {
    if (!isScalar(pair.key)) return;
    if (i > 0) pair.key.spaceBefore = true;
    const comment = SECTION_COMMENTS[String(pair.key.value)];
    if (comment) pair.key.commentBefore = comment;
  });
  const services = doc.get('services', true);
  for (const s of d.services) {
    if (s.source) commentKey(services, s.name, ` from ${s.source}`);
    const node = doc.getIn(['services', s.name], true);
    if (!isMap(node)) continue;
    for (const key of ['provider', 'engine', 'urls', 'dependsOn']) compact(node.get(key, true));
    const health = node.get('health', true);
    if (isSeq(health)) health.items.forEach(compact);
    const env = node.get('env', true);
    if (isMap(env))
      for (const pair of env.items)
        if (isMap(pair.value) && !pair.value.has('description')) compact(pair.value);
  }
  const gates = doc.get('gates', true);
  if (isSeq(gates)) gates.items.forEach(compact);
  if (d.migrations) commentKey(root, 'migrations', ` from ${d.migrations.source}`);
  const alerts = doc.get('alerts', true);
  if (isSeq(alerts))
    for (const alert of alerts.items) {
      if (isMap(alert)) compact(alert.get('channels', true));
      compact(alert);
    }
  compact(doc.getIn(['announcements', 'channels'], true));
  return doc.toString({ lineWidth: 0 });
}
