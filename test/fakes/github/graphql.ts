import { schema as publicSchema } from "@octokit/graphql-schema";
import type { Request, Response } from "express";
import {
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type IntrospectionQuery,
  buildClientSchema,
  execute,
  parse,
  validate,
} from "graphql";
import { authenticate } from "./auth.js";
import type { World } from "./fixtures.js";
import { rootValue } from "./graphqlData.js";
import type { createRateLimits } from "./rateLimit.js";

/**
 * `POST /api/graphql`: every query is validated against GitHub's public schema before it runs, so
 * a query the real GitHub would refuse fails here too (and is recorded for tests to assert on).
 */

export interface InvalidQuery {
  query: unknown;
  variables: unknown;
  errors: string[];
}

let schema: GraphQLSchema | undefined;

/**
 * GitHub's schema, built once per process. From the introspection JSON rather than `schema.idl`:
 * the published SDL defines a few fields twice, which graphql-js rejects as invalid SDL.
 */
export function gitHubSchema(): GraphQLSchema {
  schema ??= buildClientSchema(publicSchema.json as IntrospectionQuery);
  return schema;
}

interface GraphqlBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export function graphqlHandler(world: World, rateLimits: ReturnType<typeof createRateLimits>, invalidQueries: InvalidQuery[]) {
  return async (req: Request, res: Response): Promise<void> => {
    const viewer = authenticate(world, req, res, "graphql");
    if (!viewer) return;
    const rateLimit = rateLimits.hit(res, viewer.login, "graphql");

    const { query, variables, operationName } = (req.body ?? {}) as GraphqlBody;
    const refuse = (errors: readonly Pick<GraphQLError, "message" | "locations">[]) => {
      invalidQueries.push({ query, variables, errors: errors.map((e) => e.message) });
      res.json({ errors: errors.map(({ message, locations }) => ({ message, locations })) });
    };

    if (typeof query !== "string") {
      refuse([{ message: "A query attribute must be specified and must be a string.", locations: undefined }]);
      return;
    }
    let document: DocumentNode;
    try {
      document = parse(query);
    } catch (err) {
      refuse([err as GraphQLError]);
      return;
    }
    const validationErrors = validate(gitHubSchema(), document);
    if (validationErrors.length > 0) {
      refuse(validationErrors);
      return;
    }

    const result = await execute({
      schema: gitHubSchema(),
      document,
      rootValue: rootValue(world, viewer, rateLimit),
      variableValues: isRecord(variables) ? variables : undefined,
      operationName: typeof operationName === "string" ? operationName : undefined,
    });
    // no `data` at all means the request itself was wrong (variables, operation name)
    if (result.data === undefined) {
      refuse(result.errors ?? []);
      return;
    }
    res.json(result.errors ? { data: result.data, errors: result.errors.map(gitHubError) } : { data: result.data });
  };
}

/** GitHub's error shape: its `type` (NOT_FOUND, FORBIDDEN …) at the top level, not in extensions. */
function gitHubError(error: GraphQLError) {
  const type = error.extensions["type"];
  return {
    ...(typeof type === "string" ? { type } : {}),
    path: error.path,
    locations: error.locations,
    message: error.message,
  };
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);
