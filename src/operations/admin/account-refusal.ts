import { AccountError, type AccountErrorCode } from '../../domain/accounts/account-error.js';
import { ServiceError, type ServiceErrorCode } from '../../errors.js';

/** The service error each refusal of the account store is, in the one error registry; the message stays the store's. */
const REFUSALS: Readonly<Record<AccountErrorCode, ServiceErrorCode>> = {
  INVALID_ACCOUNT_ID: 'InvalidRequestException',
  DUPLICATE_ACCOUNT: 'ResourceAlreadyExistsException',
  NO_SUCH_ACCOUNT: 'ResourceNotFoundException',
  ACCOUNT_HAS_ACCESS_KEYS: 'DeleteConflictException',
  NO_SUCH_ACCESS_KEY: 'ResourceNotFoundException',
};

/** Runs a step on the account store, its refusals turned into service errors (the account or key as resourceId). */
export async function refusingAsService<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    if (error instanceof AccountError) {
      throw new ServiceError(REFUSALS[error.code], error.message, { resourceId: error.subject });
    }
    throw error;
  }
}
