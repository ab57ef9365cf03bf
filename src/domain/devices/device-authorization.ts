/**
 * How the device door authorizes what an admitted connection does.
 * - `policies`: AWS IoT's model. Every CONNECT, PUBLISH, SUBSCRIBE and delivery is decided by the policies attached
 *   to the certificate (default deny, explicit deny wins). New data directories use it.
 * - `permissive`: fleetca's model before policies: any ACTIVE certificate may use any non-`$aws` topic of its account
 *   and region. For development, and for data directories made before policies until their operator has attached
 *   policies (README "Confining devices with policies").
 */
export type DeviceAuthorization = 'policies' | 'permissive';

export const DEVICE_AUTHORIZATIONS: readonly DeviceAuthorization[] = ['policies', 'permissive'];

export function isDeviceAuthorization(value: unknown): value is DeviceAuthorization {
  return value === 'policies' || value === 'permissive';
}
