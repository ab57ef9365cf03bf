import type { ResourceTag } from '../domain/ca-certificates/ca-certificate-record.js';
import { serviceErrors } from '../errors.js';

/** The `tags` of a creating operation: each key once, in key order (the order stores return them in). */
export function checkedTags(tags: readonly ResourceTag[]): ResourceTag[] {
  const keys = new Set<string>();
  for (const tag of tags) {
    if (keys.has(tag.Key)) throw serviceErrors.invalidRequest(`Duplicate tag key: ${tag.Key}`);
    keys.add(tag.Key);
  }
  return [...tags]
    .sort((a, b) => (a.Key < b.Key ? -1 : a.Key > b.Key ? 1 : 0))
    .map((tag) => (tag.Value === undefined ? { Key: tag.Key } : { Key: tag.Key, Value: tag.Value }));
}
