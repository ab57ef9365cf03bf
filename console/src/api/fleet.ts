/** fleetca's own operations (SearchCertificates, GetCertificateStatistics, ListDeviceConnections, DescribeCertificateChain). */
import type {
  CertificateChain,
  CertificateStatistics,
  CertificateStatus,
  CertificateSummary,
  ChainRole,
  DeviceConnection,
  ListDeviceConnectionsResponse,
  SearchCertificatesRequest,
  SearchCertificatesResponse,
  StatisticsInterval,
} from './fleet-types.js';
import { type SignedFetchOptions, signedGetJson } from './signed-fetch.js';

type Json = Record<string, unknown>;

/** JSON bodies carry epoch seconds; query strings ISO-8601 (as the IoT API). */
function toDate(value: unknown): Date | undefined {
  if (typeof value === 'number') return new Date(value * 1000);
  if (typeof value === 'string' && value) {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);
const list = (value: unknown): Json[] => (Array.isArray(value) ? (value as Json[]) : []);
const optionalString = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

function certificateSummary(item: Json): CertificateSummary {
  const validity = (item.validity ?? {}) as Json;
  const summary: CertificateSummary = {
    certificateId: str(item.certificateId),
    certificateArn: str(item.certificateArn),
    status: str(item.status) as CertificateStatus,
    validity: { notBefore: toDate(validity.notBefore), notAfter: toDate(validity.notAfter) },
  };
  const mode = optionalString(item.certificateMode);
  if (mode) summary.certificateMode = mode;
  const ca = optionalString(item.caCertificateId);
  if (ca) summary.caCertificateId = ca;
  const created = toDate(item.creationDate);
  if (created) summary.creationDate = created;
  return summary;
}

function connection(item: Json): DeviceConnection {
  const result: DeviceConnection = { clientId: str(item.clientId), certificateId: str(item.certificateId) };
  const connectedAt = toDate(item.connectedAt);
  if (connectedAt) result.connectedAt = connectedAt;
  if (typeof item.remoteAddress === 'string') result.remoteAddress = item.remoteAddress;
  if (typeof item.protocolVersion === 'string') result.protocolVersion = item.protocolVersion;
  if (typeof item.cleanSession === 'boolean') result.cleanSession = item.cleanSession;
  if (typeof item.keepAlive === 'number') result.keepAlive = item.keepAlive;
  return result;
}

const iso = (date: Date | undefined) => date?.toISOString();

export class FleetClient {
  constructor(private readonly options: SignedFetchOptions) {}

  async searchCertificates(request: SearchCertificatesRequest): Promise<SearchCertificatesResponse> {
    const body = (await signedGetJson(this.options, '/fleetca/certificates', {
      idPrefix: request.idPrefix,
      status: request.status,
      caCertificateId: request.caCertificateId,
      createdAfter: iso(request.createdAfter),
      createdBefore: iso(request.createdBefore),
      expiresBefore: iso(request.expiresBefore),
      sortBy: request.sortBy,
      ascendingOrder: request.ascendingOrder === undefined ? undefined : String(request.ascendingOrder),
      pageSize: request.pageSize === undefined ? undefined : String(request.pageSize),
      marker: request.marker,
    })) as Json;
    const nextMarker = optionalString(body.nextMarker);
    const certificates = list(body.certificates).map(certificateSummary);
    return nextMarker ? { certificates, nextMarker } : { certificates };
  }

  async getCertificateStatistics(
    request: { interval?: StatisticsInterval; since?: Date; expiringWithinDays?: number } = {},
  ): Promise<CertificateStatistics> {
    const body = (await signedGetJson(this.options, '/fleetca/certificate-statistics', {
      interval: request.interval,
      since: iso(request.since),
      expiringWithinDays: request.expiringWithinDays === undefined ? undefined : String(request.expiringWithinDays),
    })) as Json;
    return {
      total: num(body.total),
      countsByStatus: list(body.countsByStatus).map((c) => ({
        status: str(c.status) as CertificateStatus,
        count: num(c.count),
      })),
      issuance: list(body.issuance).map((b) => ({ start: toDate(b.start) ?? new Date(0), count: num(b.count) })),
      interval: body.interval === 'HOUR' ? 'HOUR' : 'DAY',
      expiringSoon: num(body.expiringSoon),
      expired: num(body.expired),
    };
  }

  async listDeviceConnections(
    request: { certificateId?: string; pageSize?: number; marker?: string } = {},
  ): Promise<ListDeviceConnectionsResponse> {
    const body = (await signedGetJson(this.options, '/fleetca/device-connections', {
      certificateId: request.certificateId,
      pageSize: request.pageSize === undefined ? undefined : String(request.pageSize),
      marker: request.marker,
    })) as Json;
    const nextMarker = optionalString(body.nextMarker);
    const connections = list(body.connections).map(connection);
    const total = num(body.total);
    return nextMarker ? { connections, total, nextMarker } : { connections, total };
  }

  async describeCertificateChain(certificateId: string): Promise<CertificateChain> {
    const body = (await signedGetJson(
      this.options,
      `/fleetca/certificates/${encodeURIComponent(certificateId)}/chain`,
    )) as Json;
    const verification = (body.verification ?? {}) as Json;
    return {
      chain: list(body.chain).map((link) => ({
        certificatePem: str(link.certificatePem),
        subject: str(link.subject),
        issuer: str(link.issuer),
        notBefore: toDate(link.notBefore),
        notAfter: toDate(link.notAfter),
        role: str(link.role) as ChainRole,
      })),
      verification: {
        valid: verification.valid === true,
        problems: Array.isArray(verification.problems) ? verification.problems.map(String) : [],
      },
    };
  }
}
