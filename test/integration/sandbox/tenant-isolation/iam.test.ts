// Tenant isolation, IAM: every operation that names a role or policy, tried by another account (see iam.table.ts).
import { iamTable } from "./iam.table";
import { isolationSuite } from "./support";

isolationSuite(iamTable);
