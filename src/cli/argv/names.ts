/**
 * botocore's `xform_name`: model names to CLI names (`CreateKeysAndCertificate` →
 * `create-keys-and-certificate`, `setAsActive` → `set-as-active`, `CACertificates` → `ca-certificates`).
 */
export function xformName(name: string, sep = '-'): string {
  if (name.includes(sep)) return name;
  let text = name;
  const special = /[A-Z]{2,}s$/.exec(text);
  if (special) text = `${text.slice(0, -special[0].length)}${sep}${special[0].toLowerCase()}`;
  const firstCap = text.replace(/(.)([A-Z][a-z]+)/g, `$1${sep}$2`);
  return firstCap.replace(/([a-z0-9])([A-Z])/g, `$1${sep}$2`).toLowerCase();
}
