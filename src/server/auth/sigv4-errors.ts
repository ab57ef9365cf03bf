import { ServiceError } from '../../errors.js';

/**
 * The refusals of SigV4 verification, worded as AWS's JSON-protocol services word them (the texts
 * SDK users meet as IncompleteSignatureException, InvalidSignatureException, ...). Messages quote
 * the Authorization header where AWS does; it carries the key id and signature, never the secret.
 */
export const sigv4Errors = {
  /** No Authorization header at all (AWS also says this for unknown paths; fleetca does not). */
  missingToken: () => new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token'),

  /** Parameters absent from the Authorization header, and/or no date header; `sentences` in AWS's order. */
  incomplete: (sentences: readonly string[], authorization: string) =>
    new ServiceError('IncompleteSignatureException', `${sentences.join(' ')} Authorization=${authorization}`),

  notKeyValuePair: (token: string, authorization: string) =>
    new ServiceError(
      'IncompleteSignatureException',
      `'${token}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`,
    ),

  /** A parameter given twice: fleetca's own wording (which one AWS would use is not known). */
  repeatedParameter: (name: string, authorization: string) =>
    new ServiceError(
      'IncompleteSignatureException',
      `Authorization header has more than one '${name}' parameter. Authorization=${authorization}`,
    ),

  credentialShape: (credential: string) =>
    new ServiceError(
      'IncompleteSignatureException',
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    ),

  badAmzDate: (value: string) =>
    new ServiceError(
      'IncompleteSignatureException',
      `Date must be in ISO-8601 'basic format'. Got '${value}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    ),

  /** fleetca's wording, modelled on the X-Amz-Date one, for an unparsable Date header. */
  badHttpDate: (value: string) =>
    new ServiceError(
      'IncompleteSignatureException',
      `Date must be in RFC 7231 IMF-fixdate format (e.g. 'Mon, 01 Jan 2024 00:00:00 GMT'). Got '${value}'.`,
    ),

  hostNotSigned: () =>
    new ServiceError('IncompleteSignatureException', "'Host' must be a 'SignedHeader' in the AWS Authorization."),

  /** A header that must appear at most once appeared more often (fleetca's wording). */
  repeatedHeader: (name: string) =>
    new ServiceError('IncompleteSignatureException', `Only one '${name}' header is allowed in a signed request.`),

  /** Unknown access key, or any session token: fleetca issues none. */
  unrecognizedClient: () =>
    new ServiceError('UnrecognizedClientException', 'The security token included in the request is invalid.'),

  signatureMismatch: () =>
    new ServiceError(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. ' +
        'Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    ),

  expired: (requestDate: string, earliest: string, now: string) =>
    new ServiceError(
      'InvalidSignatureException',
      `Signature expired: ${requestDate} is now earlier than ${earliest} (${now} - 15 min.)`,
    ),

  notYetCurrent: (requestDate: string, latest: string, now: string) =>
    new ServiceError(
      'InvalidSignatureException',
      `Signature not yet current: ${requestDate} is still later than ${latest} (${now} + 15 min.)`,
    ),

  scopeDate: (scopeDate: string, requestDate: string) =>
    new ServiceError(
      'InvalidSignatureException',
      'Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: ' +
        `'${scopeDate}' != '${requestDate.slice(0, 8)}', from '${requestDate}'.`,
    ),

  scopeRegion: () => new ServiceError('InvalidSignatureException', 'Credential should be scoped to a valid region. '),

  scopeService: (service: string) =>
    new ServiceError('InvalidSignatureException', `Credential should be scoped to correct service: '${service}'. `),

  scopeTerminator: (terminator: string) =>
    new ServiceError(
      'InvalidSignatureException',
      `Credential should be scoped with a valid terminator: 'aws4_request', not '${terminator}'. `,
    ),
};
