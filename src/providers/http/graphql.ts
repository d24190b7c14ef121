/** GraphQL over the JSON client: errors inside a 200 response are errors too. */

import { ProviderError } from '../../errors.js';
import type { ProviderContext } from '../types.js';
import type { ApiClient } from './client.js';
import { excerptBody } from './errors.js';

export interface GraphqlRequest {
  /** Operation name, used in messages and by loopback fakes. */
  operation: string;
  query: string;
  variables?: Record<string, unknown>;
  /** Queries are safe to repeat; a mutation is only when the caller says so (e.g. an upsert). */
  idempotent?: boolean;
}

interface GraphqlResponse<T> {
  data?: T | null;
  errors?: { message?: string }[];
}

export async function requestGraphql<T>(
  client: ApiClient,
  request: GraphqlRequest,
  ctx: ProviderContext,
): Promise<T> {
  const isMutation = /^\s*mutation\b/.test(request.query);
  const response = await client.request<GraphqlResponse<T>>(
    {
      method: 'POST',
      path: '',
      body: { query: request.query, variables: request.variables ?? {}, operationName: request.operation },
      idempotent: request.idempotent ?? !isMutation,
      label: request.operation,
    },
    ctx,
  );
  if (response?.errors?.length) {
    const messages = response.errors.map((e) => e.message ?? 'unknown error').join('; ');
    throw new ProviderError(
      client.provider,
      ctx.redactor.redact(`${client.provider}: ${request.operation} returned an error: ${messages}`),
      undefined,
      excerptBody(JSON.stringify(response.errors), ctx.redactor),
    );
  }
  if (!response?.data) {
    throw new ProviderError(client.provider, `${client.provider}: ${request.operation} returned no data`);
  }
  return response.data;
}
