import { sigv4Errors } from './sigv4-errors.js';

/** The only signing algorithm fleetca verifies. */
export const SIGV4_ALGORITHM = 'AWS4-HMAC-SHA256';

/** The credential scope: `AKID/yyyymmdd/region/service/aws4_request`, split. */
export interface CredentialScope {
  readonly accessKeyId: string;
  readonly date: string;
  readonly region: string;
  readonly service: string;
  readonly terminator: string;
}

/** A parsed `Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`. */
export interface SigV4Authorization {
  readonly credential: CredentialScope;
  /** The credential scope as signed: `yyyymmdd/region/service/aws4_request`. */
  readonly scope: string;
  /** Lower-case header names, in the order the client listed them. */
  readonly signedHeaders: readonly string[];
  readonly signature: string;
}

// AWS lists what is missing in this order, each as one sentence.
const PARAMETERS = ['Credential', 'Signature', 'SignedHeaders'] as const;
const NO_DATE = "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.";

/**
 * Parses the Authorization header. `hasDate` says whether the request carries X-Amz-Date or Date,
 * because AWS reports a missing date together with missing parameters. Throws the
 * IncompleteSignatureException AWS gives for each malformation.
 */
export function parseAuthorization(authorization: string, hasDate: boolean): SigV4Authorization {
  const space = authorization.search(/\s/);
  const algorithm = space < 0 ? authorization : authorization.slice(0, space);
  // Another scheme (SigV2 `AWS id:sig`, a bearer token) has none of the parameters, as AWS reports it.
  const params = algorithm === SIGV4_ALGORITHM ? parameters(authorization.slice(space + 1), authorization) : new Map();

  const sentences = PARAMETERS.filter((name) => !params.get(name)).map(
    (name) => `Authorization header requires '${name}' parameter.`,
  );
  if (!hasDate) sentences.push(NO_DATE);
  if (sentences.length > 0) throw sigv4Errors.incomplete(sentences, authorization);

  const credential = params.get('Credential') as string;
  const parts = credential.split('/');
  if (parts.length !== 5) throw sigv4Errors.credentialShape(credential);
  const [accessKeyId, date, region, service, terminator] = parts as [string, string, string, string, string];
  return {
    credential: { accessKeyId, date, region, service, terminator },
    scope: parts.slice(1).join('/'),
    signedHeaders: (params.get('SignedHeaders') as string).split(';'),
    signature: params.get('Signature') as string,
  };
}

/** `Key=value` tokens separated by commas and/or whitespace, as AWS tokenizes them. */
function parameters(text: string, authorization: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const token of text.split(/[\s,]+/)) {
    if (token === '') continue;
    const eq = token.indexOf('=');
    if (eq <= 0) throw sigv4Errors.notKeyValuePair(token, authorization);
    const name = token.slice(0, eq);
    if (params.has(name)) throw sigv4Errors.repeatedParameter(name, authorization);
    params.set(name, token.slice(eq + 1));
  }
  return params;
}
