import { randomBytes } from "node:crypto";

/**
 * An error answer. Handlers throw it; the server turns it into the response. The body is built here, in
 * one place, because the real API uses three envelopes: the standard `{"errors":[...]}`, the flat
 * `{"error_code","message"}` of the MDS / identity backends, and Azure Resource Manager's `{"error":{...}}`.
 */
export class ApiError extends Error {
  constructor(
    /** HTTP status. */
    readonly status: number,
    /** The JSON body sent with the status. */
    readonly body: unknown,
    /** Extra response headers (e.g. `Location` on a 409). */
    readonly headers: Record<string, string> = {},
  ) {
    super(`emulator answered ${status}`);
  }
}

/** Where in the request an error points: a JSON pointer into the body, or a query parameter. */
export interface ErrorSource {
  pointer?: string;
  parameter?: string;
}

/** A 32-hex-digit error id, like the recorded ones. */
function errorId(): string {
  return randomBytes(16).toString("hex");
}

/** The standard Confluent error envelope. */
export function envelope(status: number, code: string, detail: string, source: ErrorSource = {}): unknown {
  return { errors: [{ id: errorId(), status: String(status), code, detail, source }] };
}

/** A standard-envelope error. */
export function apiError(
  status: number,
  code: string,
  detail: string,
  source: ErrorSource = {},
  headers: Record<string, string> = {},
): ApiError {
  return new ApiError(status, envelope(status, code, detail, source), headers);
}

/**
 * A body field that failed validation (pointer like `/spec/owner/id`): 422 Unprocessable Entity, as seed 000
 * documents ("the request was parsed correctly but failed some sort of validation") and the specs list for
 * every POST and PATCH; 400 where a spec has no 422 (role bindings, mds_v2.yaml). A body that is not JSON
 * stays 400.
 */
export function invalidField(pointer: string, detail: string, status: 400 | 422 = 422): ApiError {
  return apiError(status, "invalid_input", detail, { pointer });
}

/** 400 for a query parameter. */
export function invalidParam(parameter: string, detail: string): ApiError {
  return apiError(400, "invalid_parameter", detail, { parameter });
}

/** The flat `{"error_code","message"}` body some backends (role bindings, identity, pim) answer with. */
export function flatError(status: number, errorCode: number, message: string): ApiError {
  return new ApiError(status, { error_code: errorCode, message });
}

/** Azure Resource Manager's error envelope. */
export function armError(status: number, code: string, message: string): ApiError {
  return new ApiError(status, { error: { code, message } });
}

/** 409 pointing at the object that already holds the unique value. */
export function conflict(detail: string, location: string): ApiError {
  return apiError(409, "conflict", detail, {}, { Location: location });
}
