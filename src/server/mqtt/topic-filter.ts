/**
 * MQTT topic-filter matching (MQTT 3.1.1 §4.7): `+` matches one level, a trailing `#` the rest, and a filter
 * that starts with a wildcard never matches a topic that starts with `$` (§4.7.2), so `#` does not reach `$aws/...`.
 */
export function filterMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$') && (filter.startsWith('+') || filter.startsWith('#'))) return false;
  const filterLevels = filter.split('/');
  const topicLevels = topic.split('/');
  for (let i = 0; i < filterLevels.length; i++) {
    const level = filterLevels[i];
    if (level === '#') return i === filterLevels.length - 1;
    if (i >= topicLevels.length) return false;
    if (level !== '+' && level !== topicLevels[i]) return false;
  }
  return filterLevels.length === topicLevels.length;
}
