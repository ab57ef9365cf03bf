interface IndexNode<K, V> {
  readonly children: Map<string, IndexNode<K, V>>;
  readonly entries: Map<K, V>;
}

function newNode<K, V>(): IndexNode<K, V> {
  return { children: new Map(), entries: new Map() };
}

/**
 * Subscriptions by topic filter, in a tree of filter levels, so that routing a message costs the topic's depth
 * (times the wildcard branches) rather than the number of subscriptions. Matching follows topic-filter.ts:
 * `+` one level, a last `#` the rest (and the parent level), and no leading wildcard reaches a `$` topic.
 */
export class SubscriptionIndex<K, V> {
  readonly #root = newNode<K, V>();

  add(filter: string, key: K, value: V): void {
    let node = this.#root;
    for (const level of filter.split('/')) {
      let child = node.children.get(level);
      if (!child) {
        child = newNode();
        node.children.set(level, child);
      }
      node = child;
    }
    node.entries.set(key, value);
  }

  /** False when `key` had no subscription to `filter`. */
  remove(filter: string, key: K): boolean {
    const path: Array<[IndexNode<K, V>, string]> = [];
    let node = this.#root;
    for (const level of filter.split('/')) {
      const child = node.children.get(level);
      if (!child) return false;
      path.push([node, level]);
      node = child;
    }
    if (!node.entries.delete(key)) return false;
    // Prune the branch that no longer leads to any subscription.
    for (let i = path.length - 1; i >= 0; i--) {
      const [parent, level] = path[i] as [IndexNode<K, V>, string];
      const child = parent.children.get(level) as IndexNode<K, V>;
      if (child.entries.size > 0 || child.children.size > 0) break;
      parent.children.delete(level);
    }
    return true;
  }

  /** Calls `visit` for every subscription whose filter matches `topic` (a key may come once per matching filter). */
  match(topic: string, visit: (key: K, value: V) => void): void {
    this.#walk(this.#root, topic.split('/'), 0, topic.startsWith('$'), visit);
  }

  #walk(node: IndexNode<K, V>, levels: string[], depth: number, dollar: boolean, visit: (key: K, value: V) => void) {
    const wildcardsAllowed = !(depth === 0 && dollar);
    const rest = wildcardsAllowed ? node.children.get('#') : undefined;
    if (rest) for (const [key, value] of rest.entries) visit(key, value);
    if (depth === levels.length) {
      for (const [key, value] of node.entries) visit(key, value);
      return;
    }
    const exact = node.children.get(levels[depth] as string);
    if (exact) this.#walk(exact, levels, depth + 1, dollar, visit);
    const one = wildcardsAllowed ? node.children.get('+') : undefined;
    if (one) this.#walk(one, levels, depth + 1, dollar, visit);
  }
}
