/** fleetca's own operations (the console contract), with timestamps as Dates once read. */

export const CERTIFICATE_STATUSES = [
  'ACTIVE',
  'INACTIVE',
  'REVOKED',
  'PENDING_TRANSFER',
  'REGISTER_INACTIVE',
  'PENDING_ACTIVATION',
] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export const SORT_KEYS = ['CREATION_DATE', 'CERTIFICATE_ID', 'NOT_AFTER'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface SearchCertificatesRequest {
  idPrefix?: string;
  status?: CertificateStatus;
  caCertificateId?: string;
  createdAfter?: Date;
  createdBefore?: Date;
  expiresBefore?: Date;
  sortBy?: SortKey;
  ascendingOrder?: boolean;
  pageSize?: number;
  marker?: string;
}

export interface CertificateSummary {
  certificateId: string;
  certificateArn: string;
  status: CertificateStatus;
  certificateMode?: string;
  caCertificateId?: string;
  creationDate?: Date;
  validity?: { notBefore?: Date; notAfter?: Date };
}

export interface SearchCertificatesResponse {
  certificates: CertificateSummary[];
  nextMarker?: string;
}

export type StatisticsInterval = 'DAY' | 'HOUR';

export interface CertificateStatistics {
  total: number;
  countsByStatus: { status: CertificateStatus; count: number }[];
  issuance: { start: Date; count: number }[];
  interval: StatisticsInterval;
  expiringSoon: number;
  expired: number;
}

export interface DeviceConnection {
  clientId: string;
  certificateId: string;
  connectedAt?: Date;
  remoteAddress?: string;
  protocolVersion?: string;
  cleanSession?: boolean;
  keepAlive?: number;
}

export interface ListDeviceConnectionsResponse {
  connections: DeviceConnection[];
  total: number;
  nextMarker?: string;
}

export type ChainRole = 'certificate' | 'issuing-ca' | 'root-ca' | 'registered-ca';

export interface ChainLink {
  certificatePem: string;
  subject: string;
  issuer: string;
  notBefore?: Date;
  notAfter?: Date;
  role: ChainRole;
}

export interface CertificateChain {
  chain: ChainLink[];
  verification: { valid: boolean; problems: string[] };
}
