/**
 * The YAML 1.2 implicit resolver of ruamel.yaml (VersionedResolver), as facts: which plain
 * scalars would read back as something other than a string. The AWS CLI's YAML output quotes a
 * string exactly when its plain form resolves to another type.
 */

interface ImplicitRule {
  readonly firstChars: string;
  readonly pattern: RegExp;
}

// Each rule is consulted only for values whose first character is listed (the empty string has
// its own entry), as the resolver's first-character table does.
const RULES: readonly ImplicitRule[] = [
  { firstChars: 'tTfF', pattern: /^(?:true|True|TRUE|false|False|FALSE)$/ },
  {
    firstChars: '-+0123456789.',
    pattern:
      /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)|[-+]?\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  },
  { firstChars: '-+0123456789', pattern: /^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?[0-9_]+|[-+]?0x[0-9a-fA-F_]+)$/ },
  { firstChars: '<', pattern: /^(?:<<)$/ },
  { firstChars: '~nN', pattern: /^(?:~|null|Null|NULL)$/ },
  {
    firstChars: '0123456789',
    pattern:
      /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  },
  { firstChars: '=', pattern: /^(?:=)$/ },
  { firstChars: '!&*', pattern: /^(?:!|&|\*)$/ },
];

/** Python's `re.match(...$)`: `$` also matches just before one final newline. */
function pyFullMatch(pattern: RegExp, value: string): boolean {
  return pattern.test(value) || (value.endsWith('\n') && pattern.test(value.slice(0, -1)));
}

/** True when `value`, written plain, would be read back as a string (ruamel's YAML 1.2 rules). */
export function plainResolvesToString(value: string): boolean {
  if (value === '') return false; // the null resolver's empty-string entry
  const first = value[0] as string;
  return !RULES.some((rule) => rule.firstChars.includes(first) && pyFullMatch(rule.pattern, value));
}
