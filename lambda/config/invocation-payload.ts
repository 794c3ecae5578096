import type { SweepSettings } from '../sweep/sweep-settings';
import { ConfigurationError } from './configuration-error';
import { validateClusterNames } from './setting-parsers';

const PAYLOAD_KEYS = ['dryRun', 'clusters', 'digest'];

/**
 * Applies a manual invoke's payload (`{"dryRun": true, "clusters": ["prod"]}`) to
 * the configured settings. `{"digest": true}` (the digest schedule's payload) sends
 * the digest: a summary even when nothing changed. A scheduled event carries no overrides. A payload can
 * narrow a sweep, never widen it: it cannot leave a dry-run deployment's dry run,
 * nor name a cluster the deployment is not configured for.
 */
export function settingsForInvocation(configured: SweepSettings, event: unknown): SweepSettings {
  if (isScheduledEvent(event) || event === undefined || event === null) return configured;
  if (typeof event !== 'object' || Array.isArray(event)) {
    throw new ConfigurationError(
      'the payload must be a JSON object such as {"dryRun": true, "clusters": ["prod"]}',
    );
  }
  const payload = event as Record<string, unknown>;
  const unknown = Object.keys(payload).filter((key) => !PAYLOAD_KEYS.includes(key));
  if (unknown.length > 0) {
    throw new ConfigurationError(
      `the payload has unknown keys ${unknown.join(', ')}; it takes ${PAYLOAD_KEYS.join(', ')}`,
    );
  }
  let settings = configured;
  if (payload.digest !== undefined) {
    if (typeof payload.digest !== 'boolean')
      throw new ConfigurationError('payload digest must be true or false');
    settings = { ...settings, digest: payload.digest };
  }
  if (payload.dryRun !== undefined) {
    if (typeof payload.dryRun !== 'boolean')
      throw new ConfigurationError('payload dryRun must be true or false');
    if (configured.dryRun && !payload.dryRun) {
      throw new ConfigurationError(
        'payload dryRun=false: this deployment runs in dry-run mode (DRY_RUN=true); deploy with dryRun=false to let it change anything',
      );
    }
    settings = { ...settings, dryRun: payload.dryRun };
  }
  if (payload.clusters !== undefined) {
    const { clusters } = payload;
    if (
      !Array.isArray(clusters) ||
      clusters.length === 0 ||
      clusters.some((name) => typeof name !== 'string')
    ) {
      throw new ConfigurationError('payload clusters must be a non-empty array of cluster names');
    }
    const names = validateClusterNames('payload clusters', clusters as string[]);
    const outside = names.filter(
      (name) => configured.clusters !== undefined && !configured.clusters.includes(name),
    );
    if (outside.length > 0) {
      throw new ConfigurationError(
        `payload clusters: ${outside.join(', ')} not among the configured clusters (${configured.clusters?.join(', ')})`,
      );
    }
    settings = { ...settings, clusters: names };
  }
  return settings;
}

function isScheduledEvent(event: unknown): boolean {
  return (
    typeof event === 'object' &&
    event !== null &&
    (event as Record<string, unknown>)['detail-type'] === 'Scheduled Event' &&
    (event as Record<string, unknown>).source === 'aws.events'
  );
}
