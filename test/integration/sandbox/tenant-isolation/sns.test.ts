// Tenant isolation, SNS: every operation that names a topic or subscription, tried by another account (see sns.table.ts).
import { snsTable } from "./sns.table";
import { isolationSuite } from "./support";

isolationSuite(snsTable);
