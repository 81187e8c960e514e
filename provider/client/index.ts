/**
 * The Confluent Cloud API client: one undici-based client for every call the provider makes.
 * See docs/CONTRACTS.md ("Client").
 */
export {
  ConfluentClient,
  DEFAULT_MAX_IN_FLIGHT,
  jsonPath,
  packageVersion,
  type BearerTokenSource,
  type ClientAuth,
  type ClientEvent,
  type ClientOptions,
  type ClientTimeouts,
  type FullResponse,
  type Query,
  type RequestOptions,
} from "./client";
export {
  ConfluentApiError,
  ConfluentClientError,
  NetworkError,
  OutcomeUnknownError,
  RedirectError,
  ResponseValidationError,
  TimeoutError,
  parseApiError,
  type ApiErrorFields,
  type ErrorResponse,
  type ErrorSource,
  type HttpMethod,
  type ResponseHeaders,
  type ValidationIssue,
} from "./errors";
export { type PaginateOptions } from "./paginate";
export { DATE_RESOLUTION_MS, ServerClock, type OffsetBounds } from "./server-clock";
export { redact, REDACTED } from "./redact";
export { DEFAULT_RETRY, RetryPolicy, parseRetryAfter, type RetryOptions } from "./retry";
