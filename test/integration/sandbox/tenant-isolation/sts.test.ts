// Tenant isolation, STS: every operation that names a role or policy, tried by another account (see sts.table.ts).
import { stsTable } from "./sts.table";
import { isolationSuite } from "./support";

isolationSuite(stsTable);
