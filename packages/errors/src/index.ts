export {
  defineErrors,
  type ErrorBuilder,
  type ErrorDefinition,
  type ErrorFactory,
  type ErrorRegistry,
  errorMessage,
  type RaiseOptions,
  RegistryError,
} from './define-errors.js';
export { type ErrorCode, errorCodes, isErrorCode } from './error-codes.js';
export { httpStatusByCode, httpStatusOf } from './http-status.js';
