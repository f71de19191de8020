// GET /connect/template: the grader-role CloudFormation template, the same for every learner
// (their ExternalId is a parameter), so the operator can also host this file at TEMPLATE_BASE_URL.
import { getCurrentUser } from "@/lib/auth/session";
import { labGraderPolicy } from "@/lib/connections/role-setup";
import { cloudFormationTemplate, TEMPLATE_FILE } from "@/lib/connections/templates";

export async function GET() {
  const user = await getCurrentUser();
  if (!user) return new Response("Sign in to download the template.\n", { status: 401, headers: { "content-type": "text/plain; charset=utf-8" } });
  return new Response(cloudFormationTemplate(await labGraderPolicy()), {
    headers: {
      "content-type": "application/x-yaml; charset=utf-8",
      "content-disposition": `attachment; filename="${TEMPLATE_FILE}"`,
      "cache-control": "private, no-store",
    },
  });
}
