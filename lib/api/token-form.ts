// The account page's token forms, apart from their "use server" wrappers (which only add the
// signed-in user): a "use server" module's every export is callable from the browser, so the
// functions that take a user id must not live there.
import { z } from "zod";
import { DomainError } from "../errors";
import { fieldErrors, type FormState } from "../form-state";
import { createApiToken, revokeApiToken, tokenNameSchema } from "./tokens";

export interface CreateTokenState extends FormState {
  /** The new token: in this one answer only. */
  token?: string;
  tokenName?: string;
}

const createForm = z.object({ name: tokenNameSchema });
const revokeForm = z.object({ tokenId: z.string().min(1).max(64) });

export async function createTokenFromForm(userId: string, formData: FormData): Promise<CreateTokenState> {
  const parsed = createForm.safeParse({ name: formData.get("name") ?? "" });
  if (!parsed.success) return fieldErrors(parsed.error);
  try {
    const { token, view } = await createApiToken(userId, parsed.data.name);
    return { ok: true, token, tokenName: view.name, message: `Token "${view.name}" was created. Copy it now: you will not see it again.` };
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, message: err.message, values: { name: parsed.data.name } };
    throw err;
  }
}

export async function revokeTokenFromForm(userId: string, formData: FormData): Promise<FormState> {
  const parsed = revokeForm.safeParse({ tokenId: formData.get("tokenId") });
  if (!parsed.success) return { ok: false, message: "That token was not found." };
  try {
    const view = await revokeApiToken(userId, parsed.data.tokenId);
    return { ok: true, message: `Token "${view.name}" was revoked. Anything still using it is refused from now on.` };
  } catch (err) {
    if (err instanceof DomainError) return { ok: false, message: err.message };
    throw err;
  }
}
