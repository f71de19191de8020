// Tenant isolation, lambda: every operation that names a resource, tried by another account (see lambda.table.ts).
import { lambdaTable } from "./lambda.table";
import { isolationSuite } from "./support";

isolationSuite(lambdaTable);
