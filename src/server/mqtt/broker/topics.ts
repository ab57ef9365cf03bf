/**
 * Topic names and filters as MQTT defines them (MQTT 3.1.1 §4.7, MQTT 5 §4.7): a name has no wildcard and is not
 * empty; in a filter `+` is a whole level and `#` a whole last level. Neither may contain U+0000.
 */
export function isValidTopicName(topic: string): boolean {
  return topic.length > 0 && !topic.includes('+') && !topic.includes('#') && !topic.includes('\u0000');
}

export function isValidTopicFilter(filter: string): boolean {
  if (filter.length === 0 || filter.includes('\u0000')) return false;
  const levels = filter.split('/');
  for (let i = 0; i < levels.length; i++) {
    const level = levels[i] as string;
    if (level.includes('#') && (level !== '#' || i !== levels.length - 1)) return false;
    if (level.includes('+') && level !== '+') return false;
  }
  return true;
}

/** A shared subscription (MQTT 5 §4.8.2), which the broker does not offer. */
export function isSharedSubscription(filter: string): boolean {
  return filter.startsWith('$share/');
}
