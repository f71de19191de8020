// The OpenAPI document's response schemas as zod validators, so tests can check that what the
// routes really answer is what the document promises.
import { Validator } from "@seriousme/openapi-schema-validator";
import { z } from "zod";
import { openApiDocument } from "@/lib/api/openapi";

type Spec = { paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>> };

let resolved: Promise<Spec> | undefined;

async function resolvedSpec(): Promise<Spec> {
  resolved ??= (async () => {
    const validator = new Validator();
    const result = await validator.validate(JSON.parse(JSON.stringify(openApiDocument)) as Record<string, unknown>);
    if (!result.valid) throw new Error(`the OpenAPI document is invalid: ${JSON.stringify(result.errors)}`);
    return validator.resolveRefs() as unknown as Spec;
  })();
  return resolved;
}

/** The documented schema of one response body, e.g. ("/me/progress", "get", "200"). */
export async function documentedResponse(path: string, method: string, status: string, contentType = "application/json"): Promise<z.ZodType> {
  const schema = (await resolvedSpec()).paths[path]?.[method]?.responses[status]?.content?.[contentType]?.schema;
  if (!schema) throw new Error(`no documented ${contentType} body for ${method.toUpperCase()} ${path} ${status}`);
  return z.fromJSONSchema(schema as Parameters<typeof z.fromJSONSchema>[0]);
}
